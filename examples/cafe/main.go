// Command cafe is an internet cafe check-in (网吧实名登记) with rotating QR identity codes,
// on in-memory defaults and a synthetic person.
//
//	go run ./examples/cafe [-addr 127.0.0.1:8080] [-window 60s] [-minor]
//
// Open http://127.0.0.1:8080/ for the person's page: their internet-cafe code, replaced
// at the end of every window without reloading the page. Open /terminal for the cafe
// terminal: its signed, expiring venue challenge and the list of people checked in. With
// -minor the synthetic person is 16 and every check-in is refused ("under_age").
//
// Two flows check a person in:
//   - the terminal scans the person's code: POST /api/scan {"code": "<QR text>"}; the
//     cafe's reader opens it for the internet-cafe purpose only, once (a replayed code is
//     refused), and the holder must be at least 18 (qrtoken.ReaderConfig.RequireAgeOver);
//   - the reverse flow: the person's wallet scans the terminal's challenge (GET /api/venue)
//     and sends back a check-in binding its identity code to that challenge
//     (POST /api/checkin {"checkin": "..."}); a challenge checks in one person once. The
//     wallet is simulated by POST /api/wallet/checkin {"challenge": "..."}.
//
// Errors are JSON: {"reason": "<code>", "message": "..."}, with qrtoken's reason codes
// ("replayed", "expired", "wrong_purpose", "under_age", ...) and the example's own
// ("bad_request", "too_large", "not_found", "method_not_allowed").
//
// # Security
//
// This is an example, not a deployment. The issuer, the wallet, the terminal and the
// cafe's reader share one process and one randomly generated key, and GET /api/code hands
// the person's code (a bearer credential until it expires) to anyone who can reach the
// server, and POST /api/wallet/checkin answers any challenge for them: the server listens
// on loopback by default for that reason. The person is synthetic: a
// made-up name and a random, checksum-valid ID number from idcard.Generate. Logs and the
// terminal's list hold masked names and ID numbers only; code texts are never logged.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify/idcard"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (loopback by default: the person's code is served to anyone who can connect)")
	window := flag.Duration("window", qrtoken.DefaultWindow, "rotation window of the identity codes, whole seconds (shorten for demos, e.g. 10s)")
	minor := flag.Bool("minor", false, "make the synthetic person 16 years old, to see the cafe refuse them")
	flag.Parse()
	if err := run(*addr, *window, *minor); err != nil {
		fmt.Fprintln(os.Stderr, "cafe:", err)
		os.Exit(1)
	}
}

func run(addr string, window time.Duration, minor bool) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg := config{Window: window, Logger: logger}
	if minor {
		id, err := idcard.Generate(rand.Reader, idcard.GenOptions{Birth: time.Now().AddDate(-16, 0, 0)})
		if err != nil {
			return err
		}
		cfg.Person = person{Name: syntheticName, IDNumber: id}
	}
	s, err := newServer(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	logger.Info("cafe listening", "person", fmt.Sprintf("http://%s/", ln.Addr()), "terminal", fmt.Sprintf("http://%s/terminal", ln.Addr()),
		"window", window, "holder", s.cfg.Person)
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
