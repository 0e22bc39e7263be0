package handlers_test

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
)

// A client that pipelines requests and never reads the answers doesn't hold its connection:
// once a response can't be delivered within the write deadline, the console closes it.
func TestSlowReader_PipelinedRequestsNeverReadLoseTheConnection(t *testing.T) {
	const deadline = 300 * time.Millisecond
	c := newConsoleWithoutUsers(t, func(cfg *handlers.Config) {
		l := handlers.DefaultLimits()
		l.WriteTimeout = deadline
		cfg.Limits = l
	})
	d := net.Dialer{}
	conn, err := d.DialContext(t.Context(), "tcp", c.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A tiny receive window makes the server's writes block after a few responses.
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	req := "GET /signin HTTP/1.1\r\nHost: console\r\n\r\n"
	go func() {
		// Enough answers to fill every buffer between the two ends many times over.
		conn.Write([]byte(strings.Repeat(req, 4000)))
	}()
	time.Sleep(deadline + 2*time.Second)
	// Now read: a server that closed the connection gives EOF (or a reset) after what it had
	// sent; one that still holds it would keep answering, and the read would time out.
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.Copy(io.Discard, conn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the connection is still open: the server waited for a client that never reads")
	}
}
