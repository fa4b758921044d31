//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	headless "github.com/trustid/trustid/examples/internal/browser"
)

// TestBrowserSignIn signs the person in at the bank in headless Chromium, over the
// example's three loopback servers. Same browser: the bank's sign-in redirects to the
// provider's page, where the person ticks the claims asked for (if any), pastes the
// decision token from their wallet and clicks "Sign in", with mouse events at the
// elements; the browser ends on the bank's page, which shows what the ID token said.
// Across devices: from the provider's page the person clicks the QR link; the test takes
// screenshots of the QR page until zbarimg decodes the challenge the page holds, the
// simulated wallet scans and answers it, and the page, which nobody touches any more,
// moves on to the bank by its own refresh. It runs in real time (about 3 to 6 s here).
func TestBrowserSignIn(t *testing.T) {
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
	t.Cleanup(func() { headless.CheckGoroutines(t, baseline) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	d, decision := newTestDemo(t) // closed after Chromium is gone (cleanups run last-in first-out)
	c := headless.Start(t, chromium)
	began := time.Now()

	var bankSubject string
	for _, tc := range []struct {
		name   string
		claims string
		want   map[string]any
	}{
		{"result only", "", map[string]any{}},
		{"account opening with consent", "name id_number", map[string]any{"name": d.person.Name, "id_number": d.person.Number}},
	} {
		t.Run("same browser/"+tc.name, func(t *testing.T) {
			page := openSignInPage(ctx, t, c, d, tc.claims)
			var listed []string
			if err := page.Eval(ctx, `Array.from(document.querySelectorAll('input[name="consent"]'), (e) => e.value)`, &listed); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.Fields(tc.claims), listed, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Fatalf("claims the provider's page asks consent for (-want +got):\n%s", diff)
			}
			if tc.claims == "" {
				var says bool
				if err := page.Eval(ctx, `document.body.textContent.includes("It will not learn your name or ID number.")`, &says); err != nil {
					t.Fatal(err)
				}
				if !says {
					t.Error("the provider's page does not tell the person the bank learns no identity data")
				}
			}
			for _, claim := range listed {
				mustDo(t, page.Click(ctx, fmt.Sprintf(`input[name="consent"][value=%q]`, claim)))
			}
			mustDo(t, page.Click(ctx, `input[name="decision"]`))
			mustDo(t, page.TypeText(ctx, decision))
			var typed string
			if err := page.Eval(ctx, `document.querySelector('input[name="decision"]').value`, &typed); err != nil {
				t.Fatal(err)
			}
			if typed != decision {
				t.Fatal("the decision token did not reach the form's field")
			}
			mustDo(t, page.Click(ctx, `form[action$="/authorize/approve"] button`))

			got := bankResult(ctx, t, page, d, 15*time.Second)
			want := received{Subject: got.Subject, Level: "real-name", Evidence: []string{"data"}, Claims: tc.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("what the bank's page shows (-want +got):\n%s", diff)
			}
			switch {
			case len(got.Subject) != 43:
				t.Errorf("subject %q, want a 43-character pairwise subject", got.Subject)
			case bankSubject == "":
				bankSubject = got.Subject
			case got.Subject != bankSubject:
				t.Error("the bank got another subject for the same person")
			}
		})
	}
	t.Logf("two same-browser sign-ins after %v", time.Since(began).Round(time.Millisecond))

	t.Run("QR from the phone", func(t *testing.T) {
		page := openSignInPage(ctx, t, c, d, "name")
		mustDo(t, page.Click(ctx, `a[href*="/authorize/qr?"]`))
		if _, err := poll(ctx, 15*time.Second, func(ctx context.Context) (bool, bool, error) {
			var shown bool
			err := page.Eval(ctx, fmt.Sprintf(`location.origin === %q && location.pathname === "/authorize/qr" &&
				document.getElementById("challenge") !== null &&
				Array.from(document.images).some((i) => i.complete && i.naturalWidth > 0)`, d.Provider.URL), &shown)
			return shown, shown, err
		}); err != nil {
			t.Fatalf("waiting for the provider's QR page: %v", err)
		}
		challenge, err := shownAndDecoded(ctx, page, zbarimg, filepath.Join(t.TempDir(), "qr.png"))
		if err != nil {
			t.Fatal(err)
		}
		// Until the wallet answers, the page stays on the QR code, refreshing.
		var onQR bool
		if err := page.Eval(ctx, `location.pathname === "/authorize/qr"`, &onQR); err != nil || !onQR {
			t.Fatalf("the page left the QR code before the wallet answered (%v)", err)
		}

		view, err := walletAnswer(ctx, d.Provider.URL, challenge, decision)
		if err != nil {
			t.Fatalf("the wallet's scan and answer: %v", err)
		}
		if diff := cmp.Diff(walletView{ClientName: "示例银行 Example Bank", Purpose: "account opening (anti-money-laundering law)", Claims: []string{"name"}}, view); diff != "" {
			t.Errorf("what the wallet shows (-want +got):\n%s", diff)
		}

		// The page refreshes every 2 s: it must reach the bank by itself.
		got := bankResult(ctx, t, page, d, 10*time.Second)
		want := received{Subject: got.Subject, Level: "real-name", Evidence: []string{"data"}, Claims: map[string]any{"name": d.person.Name}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("what the bank's page shows (-want +got):\n%s", diff)
		}
		if bankSubject != "" && got.Subject != bankSubject {
			t.Error("the QR sign-in gave the bank another subject")
		}
	})
	t.Logf("QR sign-in done after %v in all", time.Since(began).Round(time.Millisecond))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// openSignInPage opens the bank's sign-in asking for claims in a new tab at one CSS pixel
// per device pixel (so the provider's QR image is drawn module-exact) and waits until the
// browser shows the provider's sign-in page.
func openSignInPage(ctx context.Context, t *testing.T, c *headless.Chromium, d *demo, claims string) *headless.Page {
	t.Helper()
	page, err := c.OpenPage(ctx, "about:blank")
	if err != nil {
		t.Fatal(err)
	}
	if err := page.Call(ctx, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 480, "height": 640, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.Call(ctx, "Page.navigate", map[string]any{"url": d.Bank.URL + "/login?claims=" + url.QueryEscape(claims)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := poll(ctx, 15*time.Second, func(ctx context.Context) (bool, bool, error) {
		var shown bool
		err := page.Eval(ctx, fmt.Sprintf(`location.origin === %q && location.pathname === "/authorize" &&
			document.readyState === "complete" && document.querySelector('input[name="decision"]') !== null`, d.Provider.URL), &shown)
		return shown, shown, err
	}); err != nil {
		t.Fatalf("waiting for the provider's sign-in page: %v", err)
	}
	return page
}

// bankResult waits until the page shows the bank's signed-in page and returns what it
// says the bank received.
func bankResult(ctx context.Context, t *testing.T, page *headless.Page, d *demo, limit time.Duration) received {
	t.Helper()
	// "" while the browser is not yet on the bank's callback; the heading and the result
	// once it is; "!" and the page's text if the bank's callback shows no result.
	text, err := poll(ctx, limit, func(ctx context.Context) (string, bool, error) {
		var text string
		err := page.Eval(ctx, fmt.Sprintf(`(() => {
			if (location.origin !== %q || location.pathname !== "/callback" || document.readyState !== "complete") return "";
			const r = document.getElementById("received"), h = document.querySelector("h1");
			return r && h ? h.textContent + "\n" + r.textContent : "!" + document.body.textContent; })()`, d.Bank.URL), &text)
		return text, text != "", err
	})
	if err != nil {
		var at string
		_ = page.Eval(ctx, `location.origin + location.pathname + " " + document.title`, &at)
		t.Fatalf("waiting for the bank's signed-in page (the browser is at %s): %v", at, err)
	}
	if failed, ok := strings.CutPrefix(text, "!"); ok {
		t.Fatalf("the bank's callback shows no sign-in: %q", strings.TrimSpace(failed))
	}
	heading, body, _ := strings.Cut(text, "\n")
	if heading != "Example Bank: signed in" {
		t.Errorf("the bank's page says %q", heading)
	}
	var got received
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("the bank's page: %v", err)
	}
	return got
}

// shownAndDecoded takes screenshots of the provider's QR page until one is taken while
// the DOM holds the same challenge before and after, and zbarimg decodes exactly that
// challenge from it; it returns the challenge. The page refreshes every 2 s and each
// refresh shows a new challenge, so a refresh can fall between reading the DOM and
// capturing: a mismatch is retried, within a bound.
func shownAndDecoded(ctx context.Context, page *headless.Page, zbarimg, file string) (string, error) {
	const dom = `(() => { const c = document.getElementById("challenge"); return c ? c.textContent : ""; })()`
	const limit = 15 * time.Second
	attempt := 0
	return poll(ctx, limit, func(ctx context.Context) (string, bool, error) {
		attempt++
		var before, after string
		if err := page.Eval(ctx, dom, &before); err != nil {
			return "", false, err
		}
		shot, err := page.Screenshot(ctx)
		if err != nil {
			return "", false, err
		}
		if err := page.Eval(ctx, dom, &after); err != nil {
			return "", false, err
		}
		if before == "" || before != after {
			return "", false, fmt.Errorf("attempt %d: the page refreshed during the screenshot", attempt)
		}
		if err := os.WriteFile(file, shot, 0o600); err != nil {
			return "", false, err
		}
		decoded, err := headless.DecodeQR(ctx, zbarimg, file)
		switch {
		case err != nil:
			return "", false, fmt.Errorf("attempt %d: %w", attempt, err)
		case decoded != before:
			return "", false, fmt.Errorf("attempt %d: screenshot decodes to %.20q..., the DOM holds %.20q...", attempt, decoded, before)
		}
		return decoded, true, nil
	})
}

// poll calls f every 50 ms until it reports done, returning its value, or fails after
// limit with the last error f returned. An error from f is not final: while the page
// navigates, evaluating in it fails until the next document is there.
func poll[T any](ctx context.Context, limit time.Duration, f func(context.Context) (T, bool, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		v, done, err := f(ctx)
		if err == nil && done {
			return v, nil
		}
		if err != nil {
			last = err
		}
		if err := headless.Sleep(ctx, 50*time.Millisecond); err != nil {
			if last != nil {
				return v, fmt.Errorf("not within %v; last: %w", limit, last)
			}
			return v, fmt.Errorf("not within %v", limit)
		}
	}
}
