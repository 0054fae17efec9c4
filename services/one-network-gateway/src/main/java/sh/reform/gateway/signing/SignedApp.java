package sh.reform.gateway.signing;

/** The one-network system that signed the request, as the apps file names it. */
public record SignedApp(String appKey, String name, String agency) {
}
