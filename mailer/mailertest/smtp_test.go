package mailertest_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// The simulated Exchange runs inside the console in demo mode: a client sending an endless
// line gets Exchange's answer and loses the connection, instead of growing the console's memory.
func TestSMTP_LongLineRefused(t *testing.T) {
	srv, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	conn, err := net.DialTimeout("tcp", srv.SMTPAddr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	rd := bufio.NewReader(conn)
	if banner, err := rd.ReadString('\n'); err != nil || !strings.HasPrefix(banner, "220 ") {
		t.Fatalf("banner: %q %v", banner, err)
	}
	// 1 MiB and no end of line: the server must answer without waiting for one.
	go conn.Write([]byte("EHLO " + strings.Repeat("a", 1<<20)))
	reply, err := rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(reply, "500 5.5.2") {
		t.Fatalf("after a 1 MiB line: got %q, %v; want 500 5.5.2 Line too long", reply, err)
	}
	if _, err := rd.ReadString('\n'); err == nil {
		t.Fatal("the connection stays open after the over-long line")
	}
}
