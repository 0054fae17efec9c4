package sh.reform.status.query;

import java.util.List;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * What one instance answers another: the cells of the partitions it holds, in {@link StatusFrames}.
 * Not part of the public API; the public endpoints route here through {@link RoutedCellStatusSource}.
 */
@Hidden
@RestController
class InternalStatusController {

    static final String CELL = "/internal/v1/status/cell";
    static final String CELLS = "/internal/v1/status/cells";
    static final String CELLS_OF = "/internal/v1/status/cells-of";
    static final String STANDBY = "/internal/v1/status/standby";
    static final String VERSIONS_OF = "/internal/v1/status/versions-of";
    /** How many changelog records the standby copy that answered was behind. */
    static final String STANDBY_LAG_HEADER = "Status-Standby-Lag";

    private final LocalStores local;

    InternalStatusController(LocalStores local) {
        this.local = local;
    }

    @GetMapping(CELL)
    ResponseEntity<byte[]> cell(@RequestParam String key, @RequestParam int partition) {
        return frames(local.cell(key, partition).map(List::of).orElse(List.of()));
    }

    @GetMapping(CELLS)
    ResponseEntity<byte[]> cells(@RequestParam(name = "case", required = false) Set<String> caseIds,
                                 @RequestParam(name = "partition") Set<Integer> partitions) {
        return frames(local.cells(caseIds == null ? Set.of() : caseIds, partitions));
    }

    @GetMapping(CELLS_OF)
    ResponseEntity<byte[]> cellsOf(@RequestParam(name = "case") Set<String> caseIds,
                                   @RequestParam(name = "district") List<String> districtCodes,
                                   @RequestParam(name = "partition") Set<Integer> partitions) {
        return frames(local.cellsOf(caseIds, districtCodes, partitions));
    }

    @GetMapping(STANDBY)
    ResponseEntity<byte[]> standby(@RequestParam(required = false) String key,
                                   @RequestParam(name = "case", required = false) Set<String> caseIds,
                                   @RequestParam(name = "partition") Set<Integer> partitions) {
        StatusPeer.Standby answer = local.standby(key, caseIds == null ? Set.of() : caseIds, partitions);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(StatusFrames.MEDIA_TYPE))
                .header(STANDBY_LAG_HEADER, Long.toString(answer.offsetLag()))
                .body(StatusFrames.write(answer.statuses()));
    }

    /** History versions as of an instant (see {@link HttpStatusPeer#versionsOf}). */
    @GetMapping(VERSIONS_OF)
    ResponseEntity<byte[]> versionsOf(@RequestParam(name = "case") Set<String> caseIds,
                                      @RequestParam(name = "district") List<String> districtCodes,
                                      @RequestParam(name = "partition") Set<Integer> partitions,
                                      @RequestParam String asOf,
                                      @RequestParam(defaultValue = "false") boolean standby) {
        StatusPeer.Standby answer = local.versionsOf(caseIds, districtCodes, partitions, java.time.Instant.parse(asOf), standby);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(StatusFrames.MEDIA_TYPE))
                .header(STANDBY_LAG_HEADER, Long.toString(answer.offsetLag()))
                .body(StatusFrames.write(answer.statuses()));
    }

    private static ResponseEntity<byte[]> frames(List<sh.reform.schema.status.ReplicationStatus> statuses) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(StatusFrames.MEDIA_TYPE))
                .body(StatusFrames.write(statuses));
    }
}
