package sh.reform.dashboard.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import sh.reform.dashboard.DashboardSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the browser needs to know before the first page: where the APIs are, whether demo mode is on,
 * whether local sign-in is offered. {@code /config.js} sets {@code window.REFORM_CONFIG} (loaded by a
 * plain script tag before the modules); {@code /config.json} is the same for other clients.
 */
@RestController
class BrowserConfigController {

    private final DashboardSettings settings;
    private final JsonMapper json;

    BrowserConfigController(DashboardSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    @GetMapping(path = "/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> configJson() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config());
    }

    @GetMapping(path = "/config.js", produces = "text/javascript;charset=UTF-8")
    ResponseEntity<String> configJs() {
        String body = "window.REFORM_CONFIG = Object.freeze(" + json.writeValueAsString(config()) + ");\n";
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    private Map<String, Object> config() {
        DashboardSettings.Apis apis = settings.getApis();
        Map<String, Object> urls = new LinkedHashMap<>();
        urls.put("catalog", apis.getCatalog());
        urls.put("adoption", apis.getAdoption());
        urls.put("rollout", apis.getRollout());
        urls.put("outcome", apis.getOutcome());
        urls.put("status", apis.getStatus());
        urls.put("supervision", apis.getSupervision());
        urls.put("notifications", apis.getNotifications());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apis", urls);
        config.put("demo", settings.isDemo());
        config.put("localSignIn", settings.isLocalSignIn());
        config.put("defaultBatch", settings.getDefaultBatch());
        config.put("timeZone", "Asia/Shanghai");
        return config;
    }
}
