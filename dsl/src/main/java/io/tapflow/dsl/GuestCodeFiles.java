package io.tapflow.dsl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** UDF code given either inline or as the path of a file: a single line ending in the language's extension is a file. */
final class GuestCodeFiles {
    private GuestCodeFiles() {}

    static String codeOrFile(String codeOrFile, String extension) {
        if (codeOrFile == null || codeOrFile.contains("\n") || !codeOrFile.strip().endsWith(extension)) {
            return codeOrFile;
        }
        Path file = Path.of(codeOrFile.strip());
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new TapflowException("cannot read UDF file " + file + ": " + e.getMessage(), e);
        }
    }
}
