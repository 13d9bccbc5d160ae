package io.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * A real HAPI FHIR R4 server for tests: {@link RestfulServer} with in-memory resource providers on an embedded Jetty
 * bound to 127.0.0.1 on a free port, paging through a memory paging provider, transactions stored into the
 * providers, and failures injected on demand to exercise the clients' retries.
 */
final class InMemoryFhirServer implements AutoCloseable {
  private static final List<Class<? extends Resource>> TYPES = List.of(Patient.class, Encounter.class,
      Condition.class, Observation.class, Procedure.class, MedicationRequest.class, RiskAssessment.class, Flag.class);

  private final Map<String, InMemoryProvider> providers = new ConcurrentHashMap<>();
  private final FailureInjector failures = new FailureInjector();
  private final Server jetty;
  private final String baseUrl;

  InMemoryFhirServer(int maxPageSize) throws Exception {
    RestfulServer restful = new RestfulServer(FhirContexts.r4());
    for (Class<? extends Resource> type : TYPES) {
      InMemoryProvider provider = new InMemoryProvider(type);
      providers.put(type.getSimpleName(), provider);
      restful.registerProvider(provider);
    }
    restful.registerProvider(new TransactionProvider());
    FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(1000);
    paging.setDefaultPageSize(maxPageSize);
    paging.setMaximumPageSize(maxPageSize);
    restful.setPagingProvider(paging);
    restful.registerInterceptor(failures);

    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(restful), "/fhir/*");
    jetty.setHandler(context);
    jetty.start();
    baseUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Stores the mapped resource types of the bundles, all last updated at the given time. */
  void load(List<Path> bundles, Date lastUpdated) throws Exception {
    for (Path file : bundles) {
      IParser parser = FhirContexts.r4().newJsonParser();
      parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
      Bundle bundle = parser.parseResource(Bundle.class, Files.readString(file));
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        InMemoryProvider provider = providers.get(entry.getResource().fhirType());
        if (provider != null) {
          entry.getResource().getMeta().setLastUpdated(lastUpdated);
          provider.store(entry.getResource());
        }
      }
    }
  }

  InMemoryProvider provider(String type) {
    return providers.get(type);
  }

  /** The next request of that kind (e.g. SEARCH_TYPE on Encounter, GET_PAGE) is answered with the status. */
  void failNext(RestOperationTypeEnum operation, String resourceType, int status) {
    failures.pending.add(new InjectedFailure(operation, resourceType, status));
  }

  int injectedFailuresLeft() {
    return failures.pending.size();
  }

  int requests(RestOperationTypeEnum operation) {
    return failures.counts.computeIfAbsent(operation, o -> new AtomicInteger()).get();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  private static final class InjectedFailure {
    final RestOperationTypeEnum operation;
    final String resourceType;
    final int status;

    InjectedFailure(RestOperationTypeEnum operation, String resourceType, int status) {
      this.operation = operation;
      this.resourceType = resourceType;
      this.status = status;
    }
  }

  /** Counts requests by kind and answers the pending injected failures. */
  @Interceptor
  public static final class FailureInjector {
    final ConcurrentLinkedQueue<InjectedFailure> pending = new ConcurrentLinkedQueue<>();
    final Map<RestOperationTypeEnum, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void beforeHandling(RequestDetails request, RestOperationTypeEnum operation) {
      counts.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
      for (InjectedFailure failure : pending) {
        boolean typeMatches = failure.resourceType == null || failure.resourceType.equals(request.getResourceName());
        if (failure.operation == operation && typeMatches && pending.remove(failure)) {
          throw new UnclassifiedServerFailureException(failure.status, "injected failure for the test");
        }
      }
    }
  }

  /** One resource type held in memory: read, search by _id, subject and _lastUpdated. */
  static final class InMemoryProvider implements IResourceProvider {
    private final Class<? extends Resource> type;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    InMemoryProvider(Class<? extends Resource> type) {
      this.type = type;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
      return type;
    }

    void store(Resource resource) {
      resources.put(resource.getIdElement().getIdPart(), resource);
    }

    Resource get(String id) {
      return resources.get(id);
    }

    int size() {
      return resources.size();
    }

    @Read
    public Resource read(@IdParam IdType id) {
      Resource resource = resources.get(id.getIdPart());
      if (resource == null) {
        throw new ResourceNotFoundException(id);
      }
      return resource;
    }

    @Search(allowUnknownParams = true)
    public List<IBaseResource> search(
        @OptionalParam(name = "_id") TokenOrListParam ids,
        @OptionalParam(name = "subject") ReferenceOrListParam subjects,
        @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated) {
      Set<String> wantedIds = new HashSet<>();
      if (ids != null) {
        for (TokenParam id : ids.getValuesAsQueryTokens()) {
          wantedIds.add(id.getValue());
        }
      }
      Set<String> wantedSubjects = new HashSet<>();
      if (subjects != null) {
        for (ReferenceParam subject : subjects.getValuesAsQueryTokens()) {
          wantedSubjects.add(subject.getIdPart());
        }
      }
      List<IBaseResource> matches = new ArrayList<>();
      for (Resource resource : resources.values()) {
        if (ids != null && !wantedIds.contains(resource.getIdElement().getIdPart())) {
          continue;
        }
        if (subjects != null && !wantedSubjects.contains(PatientResources.patientIdOf(resource))) {
          continue;
        }
        if (lastUpdated != null && !within(lastUpdated, resource.getMeta().getLastUpdated())) {
          continue;
        }
        matches.add(resource);
      }
      matches.sort(java.util.Comparator.comparing(r -> r.getIdElement().getIdPart()));
      return matches;
    }
  }

  private static boolean within(DateRangeParam range, Date date) {
    Date lower = range.getLowerBoundAsInstant();
    Date upper = range.getUpperBoundAsInstant();
    return date != null && (lower == null || !date.before(lower)) && (upper == null || !date.after(upper));
  }

  /** Stores each entry of a transaction into its provider (PUT and POST alike) and answers 200 per entry. */
  public final class TransactionProvider {
    @Transaction
    public Bundle transaction(@TransactionParam Bundle input) {
      Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
      for (Bundle.BundleEntryComponent entry : input.getEntry()) {
        Resource resource = entry.getResource();
        InMemoryProvider provider = providers.get(resource.fhirType());
        if (provider == null) {
          throw new UnclassifiedServerFailureException(400, "this test server does not store " + resource.fhirType());
        }
        String id = resource.getIdElement().getIdPart();
        resource.setId(new IdType(resource.fhirType(), id));
        resource.getMeta().setLastUpdated(new Date());
        provider.store(resource);
        response.addEntry().getResponse().setStatus("200 OK").setLocation(resource.fhirType() + "/" + id);
      }
      return response;
    }
  }
}
