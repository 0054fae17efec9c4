package sh.reform.catalogservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The case catalog: publishes the seed catalog at start and serves the city office's catalog API. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "案例目录 API / Case catalog API", version = "v1",
        description = "上海市优化营商环境优秀案例目录：查询案例、举措与指标；市级部门发布批次、修订与撤下案例。"
                + " / The catalog of Shanghai's excellent business-environment reform cases."))
public class CatalogServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CatalogServiceApplication.class, args);
    }
}
