package sh.reform.local;

import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The local mail server: GreenMail (a real SMTP and IMAP server, from Maven Central) inside the launcher,
 * SMTP on 127.0.0.1:3025 for the notification service, IMAP on 127.0.0.1:3143 to read what it sent. Every
 * address gets a mailbox on its first mail; its IMAP login and password are the address itself. Mail is
 * kept in memory for the life of the run (the notification service remembers what it sent, so a restart
 * does not send it again).
 */
final class LocalMail implements AutoCloseable {

    static final int SMTP_PORT = 3025;
    static final int IMAP_PORT = 3143;

    private final GreenMail server;

    private LocalMail(GreenMail server) {
        this.server = server;
    }

    static LocalMail start() {
        GreenMail g = new GreenMail(new ServerSetup[] {
                new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        g.start();
        return new LocalMail(g);
    }

    /** For the start summary. */
    static List<String> summary() {
        return List.of(
                "  SMTP (GreenMail):               smtp://127.0.0.1:" + SMTP_PORT,
                "  邮件 / read mail (IMAP):        imap://127.0.0.1:" + IMAP_PORT + "  用户名与密码均为收件地址 / login = password = the address, e.g.",
                "    curl -s --url 'imap://127.0.0.1:" + IMAP_PORT + "/INBOX;UID=1' -u clerk-310116@district.local:clerk-310116@district.local");
    }

    @Override
    public void close() {
        server.stop();
    }
}
