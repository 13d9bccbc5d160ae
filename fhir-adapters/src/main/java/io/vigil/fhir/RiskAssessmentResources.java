package io.vigil.fhir;

import io.vigil.transforms.records.AnomalyResult;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Builds the FHIR resources a verdict is written back as (Beam-free). Ids are name-based UUIDs of the encounter and
 * the model version, so writing the same verdict twice (a retried bundle, a re-run) updates instead of duplicating.
 *
 * <ul>
 *   <li>{@link RiskAssessment}: status final; subject the Patient, encounter the Encounter; method the model
 *       (system {@link #MODEL_SYSTEM}, code the bundle fingerprint); basis the Encounter; one prediction whose outcome
 *       is {@code anomalous} or {@code typical} and whose probability is the flag (1 or 0; the critic score is not a
 *       probability); the critic score and threshold as decimal extensions and in the rationale; the explaining
 *       columns, unseen categories and out-of-range columns in the note.
 *   <li>{@link Flag} (anomalies only): status active, category {@code admin}, code {@code anomalous}, same subject and
 *       encounter, for worklists that show flags.
 * </ul>
 */
final class RiskAssessmentResources {
  static final String VIGIL = "https://vigil.io/fhir";
  static final String MODEL_SYSTEM = VIGIL + "/model-version";
  static final String OUTCOME_SYSTEM = VIGIL + "/CodeSystem/record-assessment";
  static final String SCORE_EXTENSION = VIGIL + "/StructureDefinition/critic-score";
  static final String THRESHOLD_EXTENSION = VIGIL + "/StructureDefinition/critic-threshold";
  static final String IDENTIFIER_SYSTEM = VIGIL + "/assessment";
  static final String FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";

  /**
   * The RiskAssessment of a verdict.
   *
   * @throws IllegalArgumentException if the score or threshold is not a finite number (FHIR decimals cannot hold it)
   */
  static RiskAssessment riskAssessment(AnomalyResult result, String patientId) {
    if (!Double.isFinite(result.score()) || !Double.isFinite(result.threshold())) {
      throw new IllegalArgumentException("score " + result.score() + " or threshold " + result.threshold()
          + " is not a finite number");
    }
    RiskAssessment assessment = new RiskAssessment();
    assessment.setId(idFor("RiskAssessment", result));
    assessment.addIdentifier(new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(assessment.getIdPart()));
    assessment.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
    assessment.setSubject(new Reference("Patient/" + patientId));
    assessment.setEncounter(new Reference("Encounter/" + result.recordId()));
    assessment.setMethod(new CodeableConcept(new Coding(MODEL_SYSTEM, result.modelVersion(),
        "Vigil WGAN-GP critic")).setText("Vigil WGAN-GP critic, model " + result.modelVersion()));
    assessment.addBasis(new Reference("Encounter/" + result.recordId()));
    assessment.addExtension(SCORE_EXTENSION, new DecimalType(BigDecimal.valueOf(result.score())));
    assessment.addExtension(THRESHOLD_EXTENSION, new DecimalType(BigDecimal.valueOf(result.threshold())));
    assessment.addPrediction()
        .setOutcome(outcome(result.anomaly()))
        .setProbability(new DecimalType(result.anomaly() ? BigDecimal.ONE : BigDecimal.ZERO))
        .setRationale("critic score " + decimal(result.score(), 6) + (result.anomaly() ? " below" : " at or above")
            + " threshold " + decimal(result.threshold(), 6));
    assessment.addNote(new Annotation().setText(note(result)));
    return assessment;
  }

  static Flag flag(AnomalyResult result, String patientId) {
    Flag flag = new Flag();
    flag.setId(idFor("Flag", result));
    flag.setStatus(Flag.FlagStatus.ACTIVE);
    flag.addCategory(new CodeableConcept(new Coding(FLAG_CATEGORY_SYSTEM, "admin", "Administrative")));
    flag.setCode(outcome(true).setText("Vigil: this encounter's record is anomalous (model " + result.modelVersion()
        + "); review it for errors or unusual care"));
    flag.setSubject(new Reference("Patient/" + patientId));
    flag.setEncounter(new Reference("Encounter/" + result.recordId()));
    return flag;
  }

  private static CodeableConcept outcome(boolean anomaly) {
    return new CodeableConcept(new Coding(OUTCOME_SYSTEM, anomaly ? "anomalous" : "typical",
        anomaly ? "Anomalous record" : "Typical record"));
  }

  /** The explanation in words: the columns that lowered the score most, then what the encoding had to bend. */
  static String note(AnomalyResult result) {
    List<String> parts = new ArrayList<>();
    if (!result.explanationColumns().isEmpty()) {
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < result.explanationColumns().size(); i++) {
        String contribution = i < result.explanationContributions().size()
            ? " (" + decimal(result.explanationContributions().get(i), 4) + ")" : "";
        columns.add(result.explanationColumns().get(i) + contribution);
      }
      parts.add("Columns that lowered the score most: " + String.join(", ", columns) + ".");
    }
    if (!result.unseenCategories().isEmpty()) {
      parts.add("Categories the model had not seen: " + String.join(", ", result.unseenCategories()) + ".");
    }
    if (!result.outOfRangeColumns().isEmpty()) {
      parts.add("Values outside the trained range: " + String.join(", ", result.outOfRangeColumns()) + ".");
    }
    return parts.isEmpty() ? "No explanation was computed for this score." : String.join(" ", parts);
  }

  /** The value to that many significant digits, without trailing zeros: -0.42, not -0.4200. */
  private static String decimal(double value, int digits) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
  }

  static String idFor(String resourceType, AnomalyResult result) {
    String name = "vigil|" + resourceType + "|" + result.recordId() + "|" + result.modelVersion();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private RiskAssessmentResources() {}
}
