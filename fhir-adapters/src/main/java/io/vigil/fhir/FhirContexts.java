package io.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/**
 * The one R4 {@link FhirContext} of this JVM. A context is expensive (its first parse scans the model classes), it is
 * thread-safe, and it is not serializable, so DoFns reach it through this holder instead of carrying it.
 */
public final class FhirContexts {

  /** Initialised on first use by the class-loading lock: the holder idiom, no explicit synchronisation. */
  private static final class Holder {
    private static final FhirContext R4 = create();

    private static FhirContext create() {
      FhirContext context = FhirContext.forR4();
      // Vigil's clients talk to servers that already told the user they speak R4; fetching /metadata before the first
      // request would cost a round trip per client and fail on servers that protect it.
      context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      return context;
    }
  }

  public static FhirContext r4() {
    return Holder.R4;
  }

  /**
   * A new JSON parser that rejects what does not conform to R4 (unknown elements, bad values) instead of logging a
   * warning, so invalid resources reach the dead letters with the parser's reason. Parsers are cheap and not
   * thread-safe: one per use.
   */
  public static IParser strictJsonParser() {
    return r4().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  /** A new JSON parser for writing: compact, one resource per line as NDJSON wants. */
  public static IParser jsonWriter() {
    return r4().newJsonParser().setPrettyPrint(false);
  }

  private FhirContexts() {}
}
