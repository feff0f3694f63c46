package io.tapflow.api;

/** The {@code /docs} page: Swagger UI from the org.webjars jar, pointed at {@code /openapi.json}, with the key prompt enabled. */
final class SwaggerPage {
    private SwaggerPage() {}

    static String html(String version) {
        String base = "/webjars/swagger-ui/" + version + "/";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>tapflow data APIs</title>
                <link rel="stylesheet" href="%1$sswagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="%1$sswagger-ui-bundle.js"></script>
                <script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true});</script>
                </body></html>
                """.formatted(base);
    }
}
