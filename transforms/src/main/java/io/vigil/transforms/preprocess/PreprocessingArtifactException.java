package io.vigil.transforms.preprocess;

/** A preprocessing artifact that cannot be used: corrupt, edited, of another format version, or for other records. */
public class PreprocessingArtifactException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PreprocessingArtifactException(String message) {
    super(message);
  }

  public PreprocessingArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
