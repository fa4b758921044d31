package quiz

import (
	"crypto/rand"
	"encoding/binary"
)

// rng draws uniform integers from crypto/rand, reading in blocks so that one quiz costs a
// few reads rather than one per choice. crypto/rand.Read never fails (it crashes the
// program if the system cannot supply randomness), so neither does rng. Tests fix the
// stream with testing/cryptotest.SetGlobalRandom.
type rng struct {
	fill func([]byte) // rand.Read, or a fixed stream in the package's own tests
	buf  [256]byte
	off  int
}

func newRNG() *rng {
	return &rng{fill: func(p []byte) { rand.Read(p) }, off: 256}
}

func (g *rng) uint32() uint32 {
	if g.off+4 > len(g.buf) {
		g.fill(g.buf[:])
		g.off = 0
	}
	v := binary.LittleEndian.Uint32(g.buf[g.off:])
	g.off += 4
	return v
}

// intn returns a uniform integer in [0, n) for 0 < n <= 1<<31, by rejection sampling so
// that no value is favoured.
func (g *rng) intn(n int) int {
	if n <= 0 || n > 1<<31 {
		panic("quiz: intn: bad bound")
	}
	bound := uint32(n)
	limit := -bound % bound // 2^32 mod n: values below it would bias the result
	for {
		if v := g.uint32(); v >= limit {
			return int(v % bound)
		}
	}
}

// shuffle permutes n elements uniformly (Fisher–Yates).
func (g *rng) shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, g.intn(i+1))
	}
}

func (g *rng) read(p []byte) {
	for i := range p {
		if g.off >= len(g.buf) {
			g.fill(g.buf[:])
			g.off = 0
		}
		p[i] = g.buf[g.off]
		g.off++
	}
}
