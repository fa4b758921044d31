package quiz

import (
	"encoding/binary"
	"fmt"
	"io"
)

// rng draws uniform integers from an io.Reader (crypto/rand by default), reading in blocks
// so that one quiz costs a few reads rather than one per choice.
type rng struct {
	r   io.Reader
	buf [256]byte
	off int
}

func newRNG(r io.Reader) *rng { return &rng{r: r, off: 256} }

func (g *rng) uint32() (uint32, error) {
	if g.off+4 > len(g.buf) {
		if _, err := io.ReadFull(g.r, g.buf[:]); err != nil {
			return 0, fmt.Errorf("quiz: reading randomness: %w", err)
		}
		g.off = 0
	}
	v := binary.LittleEndian.Uint32(g.buf[g.off:])
	g.off += 4
	return v, nil
}

// intn returns a uniform integer in [0, n) for 0 < n <= 1<<31, by rejection sampling so
// that no value is favoured.
func (g *rng) intn(n int) (int, error) {
	if n <= 0 || n > 1<<31 {
		panic("quiz: intn: bad bound")
	}
	bound := uint32(n)
	limit := -bound % bound // 2^32 mod n: values below it would bias the result
	for {
		v, err := g.uint32()
		if err != nil {
			return 0, err
		}
		if v >= limit {
			return int(v % bound), nil
		}
	}
}

// shuffle permutes n elements uniformly (Fisher–Yates).
func (g *rng) shuffle(n int, swap func(i, j int)) error {
	for i := n - 1; i > 0; i-- {
		j, err := g.intn(i + 1)
		if err != nil {
			return err
		}
		swap(i, j)
	}
	return nil
}

func (g *rng) read(p []byte) error {
	for i := range p {
		if g.off >= len(g.buf) {
			if _, err := io.ReadFull(g.r, g.buf[:]); err != nil {
				return fmt.Errorf("quiz: reading randomness: %w", err)
			}
			g.off = 0
		}
		p[i] = g.buf[g.off]
		g.off++
	}
	return nil
}
