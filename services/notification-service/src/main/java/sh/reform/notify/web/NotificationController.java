package sh.reform.notify.web;

import java.time.Instant;
import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.catalog.FieldError;
import sh.reform.notify.inbox.Inbox;
import sh.reform.notify.inbox.TableWriter;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationRead;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.topics.Topics;
import sh.reform.shared.web.ApiProblemException;

/** The signed-in principal's inbox: newest first, paged, with the unread count; marking read. */
@RestController
@RequestMapping("/api/v1/notifications")
@Tag(name = "站内通知 / Inbox")
@SecurityRequirement(name = "bearer")
public class NotificationController {

    private final Inbox inbox;
    private final TableWriter writer;

    public NotificationController(Inbox inbox, TableWriter writer) {
        this.inbox = inbox;
        this.writer = writer;
    }

    @GetMapping
    @Operation(summary = "我的通知（最新在前）/ my notifications, newest first",
            description = "区：本区的区级与区领导通知；市营商办：市级通知（可按 districtCode 筛选）；另加所关注案例与区的通知。"
                    + " / District: its own district's notifications; city office: city-office ones (filter by districtCode); plus those of what you follow.")
    public Inbox.Page list(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) String districtCode,
                           @RequestParam(required = false) String caseId, @RequestParam(defaultValue = "false") boolean unread,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (page < 0) {
            errors.add(new FieldError("page", "out-of-range", "页码不能为负", "page must not be negative"));
        }
        if (size < 1 || size > 200) {
            errors.add(new FieldError("size", "out-of-range", "每页 1–200 条", "size must be 1 to 200"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return inbox.page(ReformPrincipal.of(jwt), blankToNull(districtCode), blankToNull(caseId), unread, page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "一条通知 / one notification")
    public Inbox.Item one(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        ReformPrincipal p = ReformPrincipal.of(jwt);
        return inbox.item(p, visible(p, id));
    }

    @PostMapping("/{id}/read")
    @Operation(summary = "标为已读 / mark read", description = "按登录身份记录，重复调用保留首次时间 / per principal; again keeps the first time")
    public Inbox.Item read(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        ReformPrincipal p = ReformPrincipal.of(jwt);
        Notification n = visible(p, id);
        if (inbox.readAt(p.name(), id).isEmpty()) {
            NotificationRead r = NotificationRead.newBuilder().setPrincipal(p.name()).setNotificationId(id).setReadAt(Instant.now()).build();
            writer.write(Topics.NOTIFICATION_READS.name(), p.name() + "|" + id, r, () -> inbox.readAt(p.name(), id).isPresent());
        }
        return inbox.item(p, n);
    }

    private Notification visible(ReformPrincipal p, String id) {
        Notification n = inbox.notification(id).orElseThrow(() -> ApiProblemException.notFound(
                "没有编号为 " + id + " 的通知", "no notification with id " + id));
        if (inbox.visibility(p, n) == Inbox.Visibility.NONE) {
            throw ApiProblemException.forbidden("这条通知不是发给您的，您也未关注其案例或区",
                    "this notification is not addressed to you, and you do not follow its case or district");
        }
        return n;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
