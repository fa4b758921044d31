//go:build !race

package qrtoken

const raceEnabled = false
