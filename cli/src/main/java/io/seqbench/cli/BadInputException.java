package io.seqbench.cli;

/** Input the user can fix (a spec, a flag, a file); the CLI prints the message and exits with code 2. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }

    BadInputException(String message) {
        super(message);
    }
}
