package qrtokentest_test

import (
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/qrtoken/qrtokentest"
)

func TestMemoryReplayGuard(t *testing.T) {
	qrtokentest.ReplayGuard(t, func(*testing.T) qrtoken.ReplayGuard { return qrtoken.NewMemoryReplayGuard() })
}
