//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/examples/internal/browser"
	"github.com/trustid/trustid/qrtoken"
)

// browserWindow is the rotation window of the browser test: short, so the test sees a
// rotation, long enough that most screenshots fall well inside one window.
const browserWindow = 2 * time.Second

// TestBrowserRotation loads the person's page in headless Chromium, reads the code from
// the DOM, decodes the QR in a screenshot with zbarimg, opens it with the cafe's key, then
// waits for the window to pass and checks the page shows a new code, without a
// navigation, whose screenshot decodes to it. Then it does the reverse flow from the
// terminal page's screen and checks that page updates in place. It runs in real time
// (about 1.5 windows plus Chromium's start, 4 to 8 s here).
func TestBrowserRotation(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not on PATH (Debian: apt-get install chromium); skipping the browser test")
	}
	zbarimg, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not on PATH (Debian: apt-get install zbar-tools); skipping the browser test")
	}
	// Registered first, so it runs after every other cleanup.
	baseline := runtime.NumGoroutine()
	t.Cleanup(func() { browser.CheckGoroutines(t, baseline) })
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second) // 4 to 8 s unloaded; 20 s seen at load 19 on 2 cores
	defer cancel()

	s, err := newServer(config{Window: browserWindow})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s) // 127.0.0.1, a free port
	t.Cleanup(srv.Close)         // after Chromium is gone (cleanups run last-in first-out)
	c := browser.Start(t, chromium)

	began := time.Now()
	page, first := openQRPage(ctx, t, c, srv.URL+"/", "qr")
	t.Logf("chromium started and the person's page showed a code after %v", time.Since(began).Round(time.Millisecond))

	dir := t.TempDir()
	first, shownAt, err := shownAndDecoded(ctx, page, "qr", zbarimg, filepath.Join(dir, "first.png"))
	if err != nil {
		t.Fatal(err)
	}
	openAt(t, s.cfg, first, shownAt)

	// Within one window (+ the fetch) the page must show another code; the limit leaves
	// room for a loaded machine.
	second, err := poll(ctx, 3*browserWindow, func(ctx context.Context) (string, bool, error) {
		code, err := shownQR(ctx, page, "qr")
		return code, code != "" && code != first, err
	})
	if err != nil {
		t.Fatalf("waiting for the code to rotate: %v", err)
	}
	checkNotReloaded(ctx, t, page)
	second, shownAt, err = shownAndDecoded(ctx, page, "qr", zbarimg, filepath.Join(dir, "second.png"))
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("the screenshot still shows the first code")
	}
	openAt(t, s.cfg, second, shownAt)

	var countdown string
	if err := page.Eval(ctx, `document.getElementById("countdown").textContent`, &countdown); err != nil {
		t.Fatal(err)
	}
	var left float64
	if _, err := fmt.Sscanf(countdown, "%g", &left); err != nil || left < 0 || left > browserWindow.Seconds() {
		t.Errorf("countdown shows %q, want seconds from 0 to %v", countdown, browserWindow.Seconds())
	}
	t.Logf("rotation seen after %v", time.Since(began).Round(time.Millisecond))

	// The terminal: its venue QR, scanned from the screen and answered by the wallet,
	// checks the person in; the page lists them, masked, and shows a fresh challenge,
	// without a reload.
	term, _ := openQRPage(ctx, t, c, srv.URL+"/terminal", "venue")
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	var answered string
	for attempt := 1; answered == "" && attempt <= 3; attempt++ {
		venue, _, err := shownAndDecoded(ctx, term, "venue", zbarimg, filepath.Join(dir, "venue.png"))
		if err != nil {
			t.Fatal(err)
		}
		status, w := postJSON(t, client, srv.URL+"/api/wallet/checkin", map[string]string{"challenge": venue})
		if status == http.StatusOK {
			status, w = postJSON(t, client, srv.URL+"/api/checkin", map[string]string{"checkin": w.Text})
		}
		switch {
		case status == http.StatusOK:
			answered = venue
		case w.Reason == "expired": // a loaded machine took longer than the challenge's life
			t.Logf("attempt %d: the challenge expired before it was answered; retrying", attempt)
		default:
			t.Fatalf("reverse flow from the terminal's screen: %d %+v", status, w)
		}
	}
	if answered == "" {
		t.Fatal("three challenges expired before they were answered")
	}
	const rows = `Array.from(document.querySelectorAll("#list tr"), (tr) => tr.textContent).join("\n")`
	list, err := poll(ctx, 3*time.Second, func(ctx context.Context) (string, bool, error) {
		var list string
		err := term.Eval(ctx, rows, &list)
		return list, list != "", err
	})
	if err != nil {
		t.Fatalf("waiting for the terminal to list the check-in: %v", err)
	}
	p := s.cfg.Person
	if !strings.Contains(list, maskID(p.IDNumber)) || strings.Contains(list, p.IDNumber) || strings.Contains(list, p.Name) {
		t.Errorf("terminal lists %q, want the person masked (%v)", list, p)
	}
	if _, err := poll(ctx, 3*time.Second, func(ctx context.Context) (string, bool, error) {
		code, err := shownQR(ctx, term, "venue")
		return code, code != "" && code != answered, err
	}); err != nil {
		t.Fatalf("waiting for the terminal to replace the answered challenge: %v", err)
	}
	checkNotReloaded(ctx, t, term)
	t.Logf("terminal checked in after %v in all", time.Since(began).Round(time.Millisecond))
}

// openQRPage opens url in a new tab at one CSS pixel per device pixel (so the 296 px QR
// image is drawn module-exact), waits until the img with the given id shows a code, and
// marks the document so that a reload can be detected.
func openQRPage(ctx context.Context, t *testing.T, c *browser.Chromium, url, id string) (*browser.Page, string) {
	t.Helper()
	page, err := c.OpenPage(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := page.Call(ctx, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 480, "height": 640, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	code, err := poll(ctx, 15*time.Second, func(ctx context.Context) (string, bool, error) {
		code, err := shownQR(ctx, page, id)
		return code, code != "", err
	})
	if err != nil {
		t.Fatalf("waiting for %s to show a code: %v", url, err)
	}
	var marked bool
	if err := page.Eval(ctx, `window.__loadMarker = 1, true`, &marked); err != nil {
		t.Fatal(err)
	}
	return page, code
}

// shownQR returns the code of the img with the given id once its image has loaded.
func shownQR(ctx context.Context, page *browser.Page, id string) (string, error) {
	var code string
	err := page.Eval(ctx, fmt.Sprintf(`(() => { const i = document.getElementById(%q);
		return i && i.complete && i.naturalWidth > 0 ? i.dataset.code : ""; })()`, id), &code)
	return code, err
}

// checkNotReloaded fails the test if the page's document was replaced since openQRPage.
func checkNotReloaded(ctx context.Context, t *testing.T, page *browser.Page) {
	t.Helper()
	var marker int
	if err := page.Eval(ctx, `window.__loadMarker || 0`, &marker); err != nil {
		t.Fatal(err)
	}
	if marker != 1 {
		t.Fatal("the page navigated (window.__loadMarker is gone): it must update without a reload")
	}
}

// postJSON posts v and decodes the reply.
func postJSON(t *testing.T, client *http.Client, url string, v any) (int, reply) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, decodeReply(t, body)
}

// shownAndDecoded takes screenshots until one is taken while the DOM shows the same code
// before and after, and zbarimg decodes exactly that code from it; it returns the code and
// a time at which the page showed it. A rotation can fall between reading the DOM and
// capturing, so a mismatch is retried, within a bound.
func shownAndDecoded(ctx context.Context, page *browser.Page, id, zbarimg, file string) (string, time.Time, error) {
	dom := fmt.Sprintf(`document.getElementById(%q).dataset.code`, id)
	var last error
	deadline := time.Now().Add(3 * browserWindow)
	for attempt := 1; time.Now().Before(deadline); attempt++ {
		var before, after string
		if err := page.Eval(ctx, dom, &before); err != nil {
			return "", time.Time{}, err
		}
		shownAt := time.Now() // before was on screen then, if it is still there after
		shot, err := page.Screenshot(ctx)
		if err != nil {
			return "", time.Time{}, err
		}
		if err := page.Eval(ctx, dom, &after); err != nil {
			return "", time.Time{}, err
		}
		if before != after {
			last = fmt.Errorf("attempt %d: the code rotated during the screenshot", attempt)
			continue
		}
		if err := os.WriteFile(file, shot, 0o600); err != nil {
			return "", time.Time{}, err
		}
		decoded, err := browser.DecodeQR(ctx, zbarimg, file)
		switch {
		case err != nil:
			last = fmt.Errorf("attempt %d: %w", attempt, err)
		case decoded != before:
			last = fmt.Errorf("attempt %d: screenshot decodes to %.20q..., the DOM shows %.20q...", attempt, decoded, before)
		default:
			return decoded, shownAt, nil
		}
		if err := browser.Sleep(ctx, 100*time.Millisecond); err != nil {
			return "", time.Time{}, err
		}
	}
	return "", time.Time{}, fmt.Errorf("no screenshot matched the DOM's code within %v; last: %w", 3*browserWindow, last)
}

// openAt opens code with a reader of the cafe's key and window whose clock is stopped at
// the moment the page showed it: the code must be the cafe's, authentic, and current then.
// (Opening it at the server after zbarimg ran would test the machine's load instead.)
func openAt(t *testing.T, cfg config, code string, shownAt time.Time) {
	t.Helper()
	r, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:     []qrtoken.SecretKey{cfg.Key},
		Window:   cfg.Window,
		Now:      func() time.Time { return shownAt },
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := r.Open(context.Background(), code)
	if err != nil {
		t.Fatalf("the code in the screenshot does not open: %v", err)
	}
	if o.Claims.IDNumber != cfg.Person.IDNumber {
		t.Fatal("the code in the screenshot is not the person's")
	}
}

// poll calls f every 50 ms until it reports done, returning its value, or fails after
// limit.
func poll[T any](ctx context.Context, limit time.Duration, f func(context.Context) (T, bool, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		v, done, err := f(ctx)
		if err != nil || done {
			return v, err
		}
		if err := browser.Sleep(ctx, 50*time.Millisecond); err != nil {
			return v, fmt.Errorf("not within %v", limit)
		}
	}
}
