package io.vigil.fhir;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** HAPI's instance validator against the R4 structure definitions, built once per test JVM (it is slow to build). */
final class R4Validation {
  private static final class Holder {
    private static final FhirValidator VALIDATOR = create();

    private static FhirValidator create() {
      ValidationSupportChain support = new ValidationSupportChain(
          new DefaultProfileValidationSupport(FhirContexts.r4()),
          new InMemoryTerminologyServerValidationSupport(FhirContexts.r4()),
          new CommonCodeSystemsTerminologyService(FhirContexts.r4()));
      FhirValidator validator = FhirContexts.r4().newValidator();
      validator.registerValidatorModule(new FhirInstanceValidator(support));
      return validator;
    }
  }

  /** The validator's errors and fatal messages for the resource; empty when it conforms. */
  static List<String> errors(IBaseResource resource) {
    return Holder.VALIDATOR.validateWithResult(resource).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(SingleValidationMessage::toString)
        .collect(Collectors.toList());
  }

  private R4Validation() {}
}
