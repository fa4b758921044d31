//go:build unix

package browser

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// DecodeQR runs zbarimg on a PNG file and returns the one symbol's text.
func DecodeQR(ctx context.Context, zbarimg, file string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// QR only: with every symbology on, zbarimg now and then also reads a short 1-D
	// barcode out of the modules.
	out, err := exec.CommandContext(ctx, zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", file).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 4 {
			return "", errors.New("zbarimg found no symbol in the screenshot")
		}
		return "", fmt.Errorf("zbarimg: %w", err)
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") {
		return "", errors.New("zbarimg found more than one symbol")
	}
	return text, nil
}

// CheckGoroutines fails the test if goroutines it started (the CDP reader, exec's output
// copiers, HTTP connections) outlive it.
func CheckGoroutines(t testing.TB, baseline int) {
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines left, %d before the test:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Sleep waits d, or returns ctx's error when ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
