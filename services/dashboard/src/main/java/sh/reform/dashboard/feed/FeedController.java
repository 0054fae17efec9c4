package sh.reform.dashboard.feed;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The latest alerts and status changes this server has seen on the status stream, newest first. */
@RestController
class FeedController {

    private final StatusFeedRelay relay;

    FeedController(StatusFeedRelay relay) {
        this.relay = relay;
    }

    record Recent(boolean following, List<StatusFeedRelay.FeedEvent> alerts, List<StatusFeedRelay.FeedEvent> changes) {
    }

    @GetMapping("/api/feed/recent")
    Recent recent() {
        return new Recent(relay.connected(), relay.alerts(), relay.changes());
    }
}
