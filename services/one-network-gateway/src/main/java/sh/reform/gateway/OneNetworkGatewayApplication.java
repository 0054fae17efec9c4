package sh.reform.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The one-network gateway: 一网通办 and 一网统管 report in through the platform's reporting path,
 * and subscriber systems get replication status changes out as signed CloudEvents.
 */
@SpringBootApplication
@EnableConfigurationProperties(GatewaySettings.class)
@OpenAPIDefinition(info = @Info(title = "一网通办 / 一网统管 对接网关 API / One-network gateway API", version = "v1",
        description = "一网通办事项通知、运行月报与一网统管记录经报送服务进入平台；复制推广状态变化以 CloudEvents 推送给订阅系统。"
                + " / One-network notifications, monthly reports and operations records enter through the reporting services; status changes go out as CloudEvents."))
@SecurityScheme(name = "one-network-signature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, paramName = "X-Signature",
        description = "X-App-Key、X-Timestamp（毫秒）、X-Nonce 与 X-Signature = Base64(HMAC-SHA256(secret, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))))；"
                + "时间偏差不超过 5 分钟，Nonce 10 分钟内不得重复。 / Timestamps within 5 minutes, nonces never repeated within 10 minutes.")
public class OneNetworkGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(OneNetworkGatewayApplication.class, args);
    }
}
