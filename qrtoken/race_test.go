//go:build race

package qrtoken

// raceEnabled is true under the race detector, which makes tests that issue codes by the
// hundred thousand too slow; they issue fewer.
const raceEnabled = true
