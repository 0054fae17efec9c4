package sh.reform.dashboard.api;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriBuilder;

import sh.reform.dashboard.DashboardSettings;
import sh.reform.dashboard.api.CatalogViews.CaseEntry;
import sh.reform.dashboard.api.CatalogViews.Jurisdiction;
import sh.reform.dashboard.api.StatusViews.CaseStatus;
import sh.reform.dashboard.api.StatusViews.CellDetail;
import sh.reform.dashboard.api.StatusViews.Matrix;

/**
 * The read side of the platform as the dashboard's server sees it: the status API (matrix, case,
 * cell, each optionally as of a past date) and the catalog API. A refusal of the upstream API becomes
 * an {@link UpstreamException} carrying its status, so the export answers 404 for an unknown case and
 * 503 while the status stores are not queryable.
 */
@Component
public class PlatformClient {

    private final RestClient status;
    private final RestClient catalog;

    public PlatformClient(DashboardSettings settings) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(3));
        // An as-of query replays the event log: give it the status service's own replay time-out.
        requests.setReadTimeout(Duration.ofSeconds(70));
        this.status = RestClient.builder().baseUrl(settings.getApis().getStatus()).requestFactory(requests).build();
        this.catalog = RestClient.builder().baseUrl(settings.getApis().getCatalog()).requestFactory(requests).build();
    }

    public Matrix matrix(String batch, String asOf) {
        return get(status, b -> asOf(b.path("/api/v1/status/matrix").queryParam("batch", batch), asOf).build(),
                new ParameterizedTypeReference<>() { });
    }

    public CaseStatus caseStatus(String caseId, String asOf) {
        return get(status, b -> asOf(b.path("/api/v1/status/cases/{id}"), asOf).build(caseId),
                new ParameterizedTypeReference<>() { });
    }

    public CellDetail cell(String caseId, String district, String asOf) {
        return get(status, b -> asOf(b.path("/api/v1/status/cells/{c}/{d}"), asOf).build(caseId, district),
                new ParameterizedTypeReference<>() { });
    }

    public List<CaseEntry> cases(String batch) {
        return Arrays.asList(get(catalog, b -> b.path("/api/v1/catalog/cases").queryParam("batch", batch).build(),
                new ParameterizedTypeReference<CaseEntry[]>() { }));
    }

    public CaseEntry caseEntry(String caseId) {
        return get(catalog, b -> b.path("/api/v1/catalog/cases/{id}").build(caseId), new ParameterizedTypeReference<>() { });
    }

    public List<Jurisdiction> jurisdictions() {
        return Arrays.asList(get(catalog, b -> b.path("/api/v1/catalog/districts").build(),
                new ParameterizedTypeReference<Jurisdiction[]>() { }));
    }

    private static UriBuilder asOf(UriBuilder b, String asOf) {
        return asOf == null || asOf.isBlank() ? b : b.queryParam("asOf", asOf);
    }

    private static <T> T get(RestClient client, Function<UriBuilder, URI> uri, ParameterizedTypeReference<T> type) {
        try {
            return client.get().uri(uri).retrieve().body(type);
        } catch (RestClientResponseException e) {
            throw new UpstreamException(e.getStatusCode(), e.getResponseBodyAsString());
        } catch (org.springframework.web.client.ResourceAccessException e) {
            throw new UpstreamException(HttpStatusCode.valueOf(503), e.getMessage());
        }
    }

    /** The upstream API refused or could not be reached (then 503). */
    public static class UpstreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final HttpStatusCode status;

        public UpstreamException(HttpStatusCode status, String body) {
            super(status.value() + " " + (body == null ? "" : body));
            this.status = status;
        }

        public HttpStatusCode status() {
            return status;
        }
    }
}
