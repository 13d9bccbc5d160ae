package io.vigil.fhir;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns FHIR references into the logical ids Vigil indexes resources by. Bundles reference by {@code urn:uuid:} full
 * URL (Synthea, transaction bundles), servers and bulk exports by {@code Type/id} or an absolute URL; all three end in
 * the logical id.
 */
final class ResourceReferences {
  private static final String URN_UUID = "urn:uuid:";
  private static final String URN_OID = "urn:oid:";

  /** The logical id a reference points to, or null when the reference is absent, contained ({@code #x}) or empty. */
  static @Nullable String logicalId(@Nullable Reference reference) {
    if (reference == null || !reference.hasReference()) {
      return null;
    }
    return logicalId(reference.getReference());
  }

  static @Nullable String logicalId(@Nullable String reference) {
    if (reference == null || reference.isBlank() || reference.startsWith("#")) {
      return null;
    }
    if (reference.startsWith(URN_UUID)) {
      return reference.substring(URN_UUID.length());
    }
    if (reference.startsWith(URN_OID)) {
      return reference.substring(URN_OID.length());
    }
    String path = reference;
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    int history = path.indexOf("/_history/");
    if (history >= 0) {
      path = path.substring(0, history);
    }
    int slash = path.lastIndexOf('/');
    String id = slash >= 0 ? path.substring(slash + 1) : path;
    return id.isEmpty() ? null : id;
  }

  private ResourceReferences() {}
}
