package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.records.Diabetes130;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiabetesMedicationsTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "860975, 24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet, metformin",
      "106892, 'insulin human, isophane 70 UNT/ML / Regular Insulin, Human 30 UNT/ML [Humulin]', insulin",
      "4821, null, glipizide",
      "123, Glibenclamide 5 MG Oral Tablet, glyburide",
      "861731, Glyburide 2.5 MG / Metformin hydrochloride 500 MG Oral Tablet, glyburide-metformin",
      "861731, Metformin 500 MG / Rosiglitazone 2 MG Oral Tablet, metformin-rosiglitazone",
      "313782, Acetaminophen 325 MG Oral Tablet, ''"})
  void columnsFromRxNormCodesAndIngredientNames(String code, String display, String expected) {
    CodeableConcept concept = new CodeableConcept(new Coding(DiabetesMedications.RXNORM_SYSTEM, code, display));
    assertThat(String.join(",", DiabetesMedications.columnsOf(concept))).isEqualTo(expected);
  }

  @Test
  void twoIngredientsWithoutACombinationColumnKeepBothColumns() {
    CodeableConcept concept = new CodeableConcept().setText("Insulin glargine + metformin");
    assertThat(DiabetesMedications.columnsOf(concept)).containsExactlyInAnyOrder("insulin", "metformin");
  }

  @Test
  void everyIngredientTableEntryIsADiabetesColumn() {
    DiabetesMedications.RXNORM_INGREDIENTS.values()
        .forEach(ingredients -> assertThat(Diabetes130.MEDICATION_COLUMNS).containsAll(ingredients));
  }
}
