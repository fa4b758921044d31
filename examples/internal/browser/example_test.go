//go:build unix

package browser_test

import (
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/examples/internal/browser"
)

// Sleep is how the browser tests wait between polls: it ends early when the test's
// deadline does.
func ExampleSleep() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fmt.Println(browser.Sleep(ctx, time.Hour))
	// Output: context canceled
}
