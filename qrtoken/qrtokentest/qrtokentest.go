// Package qrtokentest holds the conformance tests a host runs against its own adapters of
// package qrtoken's interfaces.
package qrtokentest

import (
	"testing"

	"github.com/trustid/trustid/internal/replay"
	"github.com/trustid/trustid/internal/replay/replaytest"
	"github.com/trustid/trustid/qrtoken"
)

// ReplayGuard checks that the guards returned by newGuard keep the [qrtoken.ReplayGuard]
// contract: first claim wins, later claims before expiry lose, exactly one of many
// concurrent claims wins, expired keys may be claimed afresh. newGuard is called once per
// subtest and must return an empty guard (or one shared backend: subtests use distinct
// keys). A host backing a reader group with Redis, say, runs it in its own tests:
//
//	func TestRedisGuard(t *testing.T) {
//		qrtokentest.ReplayGuard(t, func(t *testing.T) qrtoken.ReplayGuard { return newRedisGuard(t) })
//	}
func ReplayGuard(t *testing.T, newGuard func(t *testing.T) qrtoken.ReplayGuard) {
	t.Helper()
	replaytest.Run(t, func(t *testing.T) replay.Guard { return newGuard(t) })
}
