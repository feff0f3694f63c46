package io.tapflow.dsl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust of an {@code https} Elasticsearch datasource whose certificate is signed by a CA of its own (option
 * {@code tls.ca-file}): the file is read and checked where the datasource is first used (the CLI or the job's client),
 * and its PEM text travels with the job, so TaskManagers need no copy of the file. The pipelines' Elasticsearch
 * sink and the data API's Elasticsearch backend both trust a cluster through it.
 */
public final class ElasticsearchTls {
    public static final String OPTION = "tls.ca-file";
    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

    private ElasticsearchTls() {}

    /** The PEM text of the file, or null with a line added to {@code problems} when it is missing or holds no certificate. */
    public static String readCaFile(String file, List<String> problems) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            problems.add("option '" + OPTION + "': file '" + file + "' does not exist; give a PEM file of the CA that signed"
                    + " the cluster's certificate");
            return null;
        }
        String pem;
        try {
            pem = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            problems.add("option '" + OPTION + "': cannot read '" + file + "' (" + e.getMessage() + ")");
            return null;
        }
        try {
            certificates(pem);
            return pem;
        } catch (CertificateException e) {
            problems.add("option '" + OPTION + "': '" + file + "' is not a PEM certificate file (" + e.getMessage()
                    + "); it must hold one or more '" + PEM_BEGIN + "' blocks");
            return null;
        }
    }

    /** An SSL context trusting exactly the certificates of {@code pem}. */
    public static SSLContext sslContext(String pem) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates(pem)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            // The PEM text was checked when the options were read: this is not the user's input.
            throw new IllegalStateException("Cannot build the TLS context from the checked CA certificates", e);
        }
    }

    /**
     * What to tell a user whose TLS handshake with {@code where} (a datasource and its hosts) failed: without a CA
     * file, to give one; with one, that it must hold the CA that signed the certificate.
     */
    public static String handshakeFailure(String where, boolean caFileGiven, String reason) {
        return where + ": TLS handshake failed (" + reason + "); " + (caFileGiven
                ? "check that option '" + OPTION + "' holds the CA that signed the cluster's certificate and that the"
                        + " certificate names the host"
                : "if the cluster's certificate is signed by a CA of its own, give that CA's PEM file as option '" + OPTION + "'");
    }

    /** The certificates of PEM text; a text without a certificate block (DER bytes, a key) is refused. */
    public static List<Certificate> certificates(String pem) throws CertificateException {
        if (!pem.contains(PEM_BEGIN)) {
            throw new CertificateException("no '" + PEM_BEGIN + "' line");
        }
        Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (read.isEmpty()) {
            throw new CertificateException("no certificate in it");
        }
        return new ArrayList<>(read);
    }
}
