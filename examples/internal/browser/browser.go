//go:build unix

// Package browser drives a headless Chromium for the examples' browser tests: a minimal
// Chrome DevTools Protocol client over --remote-debugging-pipe (Chromium reads commands
// from fd 3 and writes replies and events to fd 4, each message one JSON object followed
// by a NUL byte; replies carry the id of their command, events are dropped), zbarimg for
// the QR codes on the screen, and the helpers the tests share. It is test support for
// the examples, not part of the library: no program imports it.
package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// chromiumFlags are the flags of a headless browser that talks over the pipe only. The
// last three keep timers of a tab that headless Chromium may consider hidden running at
// full rate: the pages under test rotate or move on by timers.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--remote-debugging-pipe",
	"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
	"--disable-backgrounding-occluded-windows",
}

// Chromium drives one Chromium process.
type Chromium struct {
	cmd    *exec.Cmd
	out    *os.File      // our end of Chromium's fd 3
	in     *os.File      // our end of Chromium's fd 4
	done   chan struct{} // closed when the reading goroutine has returned
	stderr *lockedBuffer

	writeMu sync.Mutex
	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan cdpReply
	readErr error // why the reading goroutine stopped, set before done is closed
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Start launches the browser at path headless with a fresh profile and registers
// its teardown: kill (the whole process group: Chromium forks renderer and utility
// processes), Wait, close the pipes, and check that the reading goroutine has ended.
func Start(t testing.TB, path string) *Chromium {
	t.Helper()
	cmdR, cmdW, err := os.Pipe() // Chromium reads commands from cmdR as fd 3
	if err != nil {
		t.Fatal(err)
	}
	resR, resW, err := os.Pipe() // and writes replies to resW as fd 4
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+t.TempDir(), "about:blank")
	cmd := exec.Command(path, args...)
	cmd.ExtraFiles = []*os.File{cmdR, resW}
	c := &Chromium{cmd: cmd, out: cmdW, in: resR, done: make(chan struct{}), stderr: &lockedBuffer{}, pending: map[int64]chan cdpReply{}}
	cmd.Stdout = c.stderr
	cmd.Stderr = c.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second // if a grandchild kept stderr open despite the kill
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	// The child has its copies; closing ours lets a read see EOF when Chromium exits.
	cmdR.Close()
	resW.Close()
	go c.readLoop()

	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the group we created above
		_ = cmd.Process.Kill()
		_ = cmd.Wait() // "killed" is the expected outcome
		c.out.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Error("the CDP reading goroutine did not end after Chromium exited")
		}
		c.in.Close()
		if t.Failed() {
			t.Logf("chromium output:\n%s", tail(c.stderr.String(), 3000))
		}
	})
	return c
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func (c *Chromium) readLoop() {
	br := bufio.NewReaderSize(c.in, 1<<20)
	var err error
	for {
		var msg []byte
		msg, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m struct {
			ID int64 `json:"id"`
			cdpReply
		}
		if err = json.Unmarshal(msg[:len(msg)-1], &m); err != nil {
			err = fmt.Errorf("bad CDP message: %w", err)
			break
		}
		if m.ID == 0 {
			continue // an event
		}
		c.mu.Lock()
		ch := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply // buffered
		}
	}
	c.mu.Lock()
	c.readErr = err
	c.mu.Unlock()
	close(c.done)
}

// call sends method with params (to the page session sessionID, or the browser when
// empty) and decodes the reply's result into result (when not nil).
func (c *Chromium) call(ctx context.Context, sessionID, method string, params, result any) error {
	ch := make(chan cdpReply, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	msg, err := json.Marshal(struct {
		ID        int64  `json:"id"`
		Method    string `json:"method"`
		Params    any    `json:"params,omitempty"`
		SessionID string `json:"sessionId,omitempty"`
	}{id, method, params, sessionID})
	if err != nil {
		return err
	}
	c.writeMu.Lock()
	_, err = c.out.Write(append(msg, 0))
	c.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: writing to chromium: %w", method, err)
	}

	select {
	case r := <-ch:
		if r.Error != nil {
			return fmt.Errorf("%s: chromium error %d: %s", method, r.Error.Code, r.Error.Message)
		}
		if result == nil {
			return nil
		}
		if err := json.Unmarshal(r.Result, result); err != nil {
			return fmt.Errorf("%s: decoding result: %w", method, err)
		}
		return nil
	case <-c.done:
		c.mu.Lock()
		err := c.readErr
		c.mu.Unlock()
		return fmt.Errorf("%s: chromium went away: %w", method, err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Page is one tab, attached with a flattened session.
type Page struct {
	c         *Chromium
	sessionID string
}

// OpenPage creates a tab showing url and attaches to it.
func (c *Chromium) OpenPage(ctx context.Context, url string) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": url}, &target); err != nil {
		return nil, err
	}
	var session struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &session); err != nil {
		return nil, err
	}
	return &Page{c: c, sessionID: session.SessionID}, nil
}

// Call sends a DevTools method with params to the page and decodes its result into result
// (when not nil).
func (p *Page) Call(ctx context.Context, method string, params, result any) error {
	return p.c.call(ctx, p.sessionID, method, params, result)
}

// Eval evaluates a JavaScript expression in the page and decodes its value into v.
func (p *Page) Eval(ctx context.Context, expr string, v any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := p.Call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r); err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("evaluating %q: %s", expr, r.ExceptionDetails.Text)
	}
	if len(r.Result.Value) == 0 {
		return fmt.Errorf("evaluating %q: no value", expr)
	}
	return json.Unmarshal(r.Result.Value, v)
}

// Screenshot returns a PNG of the viewport.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data []byte `json:"data"` // base64 in JSON
	}
	if err := p.Call(ctx, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(r.Data, []byte("\x89PNG")) {
		return nil, errors.New("Page.captureScreenshot: not a PNG")
	}
	return r.Data, nil
}

// Click clicks the centre of the first element matching the CSS selector with the left
// mouse button, as a person would: the element is scrolled into view, and the browser
// delivers the press and release at its coordinates (a covered or disabled element does
// not get the click).
func (p *Page) Click(ctx context.Context, selector string) error {
	var at struct{ X, Y float64 }
	err := p.Eval(ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		if (!e) return null;
		e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`, selector), &at)
	if err != nil {
		return fmt.Errorf("click %s: %w", selector, err)
	}
	if at.X == 0 && at.Y == 0 {
		return fmt.Errorf("click %s: no such element", selector)
	}
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		if err := p.Call(ctx, "Input.dispatchMouseEvent", map[string]any{"type": typ, "x": at.X, "y": at.Y,
			"button": "left", "buttons": 1, "clickCount": 1}, nil); err != nil {
			return err
		}
	}
	return nil
}

// TypeText types text into the focused element, as a paste from the keyboard would.
func (p *Page) TypeText(ctx context.Context, text string) error {
	return p.Call(ctx, "Input.insertText", map[string]any{"text": text}, nil)
}

// lockedBuffer collects Chromium's output, written from exec's copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
