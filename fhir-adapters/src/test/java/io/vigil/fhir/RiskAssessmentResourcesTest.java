package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.records.AnomalyResult;
import java.util.List;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

class RiskAssessmentResourcesTest {
  private static final AnomalyResult ANOMALY = AnomalyResult.builder()
      .setRecordId("enc-1").setScore(-3.25).setThreshold(-1.5).setAnomaly(true).setModelVersion("sha256-abc")
      .setExplanationColumns(List.of("A1Cresult", "num_medications"))
      .setExplanationContributions(List.of(-0.42, -0.1))
      .setUnseenCategories(List.of("diag_1=SNOMED:999"))
      .setOutOfRangeColumns(List.of("num_lab_procedures"))
      .build();
  private static final AnomalyResult TYPICAL = AnomalyResult.builder()
      .setRecordId("enc-2").setScore(0.5).setThreshold(-1.5).setAnomaly(false).setModelVersion("sha256-abc").build();

  @Test
  void riskAssessmentCarriesSubjectEncounterScoreFlagModelAndExplanation() {
    RiskAssessment assessment = RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1");
    assertThat(assessment.getSubject().getReference()).isEqualTo("Patient/pat-1");
    assertThat(assessment.getEncounter().getReference()).isEqualTo("Encounter/enc-1");
    assertThat(assessment.getMethod().getCodingFirstRep().getCode()).isEqualTo("sha256-abc");
    assertThat(assessment.getBasisFirstRep().getReference()).isEqualTo("Encounter/enc-1");
    assertThat(((DecimalType) assessment.getExtensionByUrl(RiskAssessmentResources.SCORE_EXTENSION).getValue())
        .getValue().doubleValue()).isEqualTo(-3.25);
    assertThat(((DecimalType) assessment.getExtensionByUrl(RiskAssessmentResources.THRESHOLD_EXTENSION).getValue())
        .getValue().doubleValue()).isEqualTo(-1.5);
    RiskAssessment.RiskAssessmentPredictionComponent prediction = assessment.getPredictionFirstRep();
    assertThat(prediction.getOutcome().getCodingFirstRep().getCode()).isEqualTo("anomalous");
    assertThat(prediction.getProbabilityDecimalType().getValue().intValue()).isEqualTo(1);
    assertThat(prediction.getRationale()).contains("-3.25").contains("below");
    assertThat(assessment.getNoteFirstRep().getText())
        .contains("A1Cresult (-0.42)", "num_medications", "diag_1=SNOMED:999", "num_lab_procedures");

    RiskAssessment typical = RiskAssessmentResources.riskAssessment(TYPICAL, "pat-2");
    assertThat(typical.getPredictionFirstRep().getOutcome().getCodingFirstRep().getCode()).isEqualTo("typical");
    assertThat(typical.getPredictionFirstRep().getProbabilityDecimalType().getValue().intValue()).isZero();
    assertThat(typical.getNoteFirstRep().getText()).contains("No explanation");
  }

  @Test
  void idsAreStablePerEncounterAndModel() {
    assertThat(RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1").getIdPart())
        .isEqualTo(RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1").getIdPart())
        .isNotEqualTo(RiskAssessmentResources.riskAssessment(TYPICAL, "pat-1").getIdPart())
        .isNotEqualTo(RiskAssessmentResources.flag(ANOMALY, "pat-1").getIdPart());
    AnomalyResult otherModel = AnomalyResult.builder()
        .setRecordId("enc-1").setScore(-3.25).setThreshold(-1.5).setAnomaly(true).setModelVersion("sha256-def")
        .build();
    assertThat(RiskAssessmentResources.riskAssessment(otherModel, "pat-1").getIdPart())
        .isNotEqualTo(RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1").getIdPart());
  }

  @Test
  void resourcesValidateAgainstTheR4StructureDefinitions() {
    assertThat(R4Validation.errors(RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1"))).isEmpty();
    assertThat(R4Validation.errors(RiskAssessmentResources.riskAssessment(TYPICAL, "pat-2"))).isEmpty();
    Flag flag = RiskAssessmentResources.flag(ANOMALY, "pat-1");
    assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("anomalous");
    assertThat(R4Validation.errors(flag)).isEmpty();
  }

  @Test
  void aScoreThatIsNotANumberIsRefused() {
    AnomalyResult diverged = AnomalyResult.builder()
        .setRecordId("enc-3").setScore(Double.NaN).setThreshold(-1.5).setAnomaly(false).setModelVersion("m").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RiskAssessmentResources.riskAssessment(diverged, "p"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a finite number");
  }

  @Test
  void theValidatorRejectsAnAssessmentWithoutSubject() {
    RiskAssessment broken = RiskAssessmentResources.riskAssessment(ANOMALY, "pat-1");
    broken.setSubject(null);
    assertThat(R4Validation.errors(broken)).isNotEmpty();
  }
}
