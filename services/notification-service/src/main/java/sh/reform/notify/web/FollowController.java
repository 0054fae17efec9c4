package sh.reform.notify.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.catalog.Catalog;
import sh.reform.catalog.FieldError;
import sh.reform.catalog.SeedCatalog;
import sh.reform.notify.NotificationSettings;
import sh.reform.notify.inbox.Inbox;
import sh.reform.notify.inbox.TableWriter;
import sh.reform.notify.topology.Follows;
import sh.reform.schema.supervision.Follow;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.topics.Topics;
import sh.reform.shared.web.ApiProblemException;

/**
 * Follow a case, a district, or one case in one district (关注): anyone signed in; the follower then sees
 * their notifications in the inbox and, with an address (the token's {@code email} claim or
 * {@code reform.notifications.mail.principals.<subject>}), gets them by e-mail.
 */
@RestController
@RequestMapping("/api/v1/follows")
@Tag(name = "关注 / Follows")
@SecurityRequirement(name = "bearer")
public class FollowController {

    private final Inbox inbox;
    private final TableWriter writer;
    private final NotificationSettings settings;
    private final ObjectProvider<CatalogFollower> catalog;

    public FollowController(Inbox inbox, TableWriter writer, NotificationSettings settings, ObjectProvider<CatalogFollower> catalog) {
        this.inbox = inbox;
        this.writer = writer;
        this.settings = settings;
        this.catalog = catalog;
    }

    public record FollowRequest(String caseId, String districtCode) {
    }

    public record FollowView(String caseId, String districtCode, String email, Instant followedAt) {
        static FollowView of(Follow f) {
            return new FollowView(f.getCaseId(), f.getDistrictCode(), f.getEmail(), f.getFollowedAt());
        }
    }

    @GetMapping
    @Operation(summary = "我的关注 / what I follow")
    public List<FollowView> list(@AuthenticationPrincipal Jwt jwt) {
        return inbox.follows(jwt.getSubject()).stream().map(FollowView::of).toList();
    }

    @PostMapping
    @Operation(summary = "关注案例或区 / follow a case or a district", description = "caseId、districtCode 至少一项；两项都有：该区的该案例 / at least one; both: that case in that district")
    public ResponseEntity<FollowView> follow(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) FollowRequest body) {
        ReformPrincipal p = ReformPrincipal.of(jwt);
        FollowRequest r = validate(body);
        String key = Follows.key(p.name(), r.caseId(), r.districtCode());
        var existing = inbox.follow(key);
        if (existing.isPresent()) {
            return ResponseEntity.ok(FollowView.of(existing.get()));
        }
        String email = jwt.hasClaim("email") ? jwt.getClaimAsString("email") : settings.getMail().getPrincipals().get(p.name());
        Follow f = Follow.newBuilder().setPrincipal(p.name()).setRole(String.valueOf(p.role())).setPrincipalDistrict(p.district())
                .setCaseId(r.caseId()).setDistrictCode(r.districtCode()).setEmail(email == null || email.isBlank() ? null : email.strip())
                .setFollowedAt(Instant.now()).build();
        writer.write(Topics.FOLLOWS.name(), key, f, () -> inbox.follow(key).isPresent());
        return ResponseEntity.status(HttpStatus.CREATED).body(FollowView.of(f));
    }

    @DeleteMapping
    @Operation(summary = "取消关注 / unfollow", description = "同关注时的 caseId / districtCode（查询参数或请求体）/ the same caseId / districtCode as followed (query or body)")
    public ResponseEntity<Void> unfollow(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) String caseId,
                                         @RequestParam(required = false) String districtCode,
                                         @RequestBody(required = false) FollowRequest body) {
        FollowRequest r = validate(body != null ? body : new FollowRequest(caseId, districtCode));
        String key = Follows.key(jwt.getSubject(), r.caseId(), r.districtCode());
        if (inbox.follow(key).isEmpty()) {
            throw ApiProblemException.notFound("您没有关注它", "you do not follow it");
        }
        writer.write(Topics.FOLLOWS.name(), key, null, () -> inbox.follow(key).isEmpty());
        return ResponseEntity.noContent().build();
    }

    private FollowRequest validate(FollowRequest body) {
        String caseId = body == null ? null : NotificationController.blankToNull(body.caseId());
        String district = body == null ? null : NotificationController.blankToNull(body.districtCode());
        Catalog c = catalog.getIfAvailable() != null ? catalog.getObject().current() : SeedCatalog.load();
        List<FieldError> errors = new ArrayList<>();
        if (caseId == null && district == null) {
            errors.add(new FieldError("caseId", "required", "caseId 与 districtCode 至少填一项", "give caseId, districtCode or both"));
        }
        if (caseId != null && c.caseById(caseId).isEmpty()) {
            errors.add(new FieldError("caseId", "unknown", "目录中没有案例 " + caseId, "no case " + caseId + " in the catalog"));
        }
        if (district != null && c.jurisdiction(district).isEmpty()) {
            errors.add(new FieldError("districtCode", "unknown", "没有区划代码 " + district, "no jurisdiction " + district));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new FollowRequest(caseId, district);
    }
}
