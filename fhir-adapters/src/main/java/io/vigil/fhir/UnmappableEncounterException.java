package io.vigil.fhir;

/** An Encounter that cannot become a record; the message says why, in words a data engineer can act on. */
public final class UnmappableEncounterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnmappableEncounterException(String reason) {
    super(reason);
  }
}
