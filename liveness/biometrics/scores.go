package biometrics

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// MaxScoreLines bounds what ReadScores reads: ten million scores.
const MaxScoreLines = 10_000_000

// ReadScores reads a score file: one decimal score per line; blank lines and lines
// beginning with '#' are skipped. It refuses (ErrInvalidData, naming the line) a line
// that is not a finite number, a line longer than 64 bytes, more than MaxScoreLines
// scores and a file without any.
func ReadScores(r io.Reader) ([]float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 128), 128)
	var out []float64
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		if len(s) > 64 {
			return nil, invalid("line %d too long", line)
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !finite(v) {
			return nil, invalid("line %d is not a finite number", line)
		}
		if len(out) == MaxScoreLines {
			return nil, invalid("more than %d scores", MaxScoreLines)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, invalid("line %d: %v", line+1, err)
	}
	if len(out) == 0 {
		return nil, invalid("no scores")
	}
	return out, nil
}
