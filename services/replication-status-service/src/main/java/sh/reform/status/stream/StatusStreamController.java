package sh.reform.status.stream;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "status")
class StatusStreamController {

    private final StatusChangeFeed feed;

    StatusStreamController(StatusChangeFeed feed) {
        this.feed = feed;
    }

    @GetMapping(path = "/api/v1/status/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "状态变化与预警的实时推送（SSE） / live status changes and alerts (Server-Sent Events)",
            description = "事件 status 与 alert，数据为 JSON，带事件 id；定期发送保活注释 / events 'status' and 'alert', JSON data, "
                    + "with ids; keep-alive comments in between")
    SseEmitter stream() {
        return feed.subscribe();
    }
}
