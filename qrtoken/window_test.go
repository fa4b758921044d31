package qrtoken

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestWindowEdges checks acceptance at the exact instants where it changes, for online
// and offline codes, in a window after 1970 and in one before it (negative window
// numbers, where floor division and the low window byte must still agree), and near the
// low byte's wrap from 255 to 0.
func TestWindowEdges(t *testing.T) {
	const past, future = 30 * time.Second, 10 * time.Second
	starts := map[string]time.Time{
		"positive":      t0.Truncate(DefaultWindow),
		"negative":      time.Unix(-3600, 0),             // window -60
		"first before":  time.Unix(-60, 0),               // window -1, low byte 0xFF
		"low byte 0xFF": time.Unix(60*(256*1000+255), 0), // the next window's low byte is 0x00
	}
	for name, start := range starts {
		end := start.Add(DefaultWindow)
		tests := []struct {
			readerAt time.Time
			want     error
		}{
			{start.Add(-future - 1), ErrNotYetValid},
			{start.Add(-future), nil},
			{end.Add(past - 1), nil},
			{end.Add(past), ErrExpired},
		}
		for _, tc := range tests {
			for mode, issue := range map[string]func(*env, testing.TB, Claims, Purpose) string{"online": (*env).issue, "offline": (*env).issueOffline} {
				t.Run(fmt.Sprintf("%s/%s/%s", name, mode, tc.readerAt.Sub(start)), func(t *testing.T) {
					e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.PastSkew, rc.FutureSkew = past, future })
					e.issuerClock.Set(start.Add(DefaultWindow / 2))
					e.readerClock.Set(tc.readerAt)
					o, err := e.reader.Open(t.Context(), issue(e, t, cafeClaims(), PurposeInternetCafe()))
					if !errors.Is(err, tc.want) {
						t.Fatalf("Open at %v = %v, want %v", tc.readerAt.UTC(), err, tc.want)
					}
					if err == nil && (o.Window.Number != start.Unix()/60 || !o.Window.Start.Equal(start) || !o.Window.End.Equal(end)) {
						t.Errorf("matched window %+v, want number %d from %v to %v", o.Window, start.Unix()/60, start.UTC(), end.UTC())
					}
				})
			}
		}
	}
}
