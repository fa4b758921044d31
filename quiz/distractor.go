package quiz

import "context"

// DistractorSource supplies plausible wrong values for a question: values of the same
// category that look like the answer (same format, locale and range), such as other plates
// of the same province or other streets of the same district.
//
// Distractors returns at most n values of category that have the answer's shape
// ([SameShape]: exactly its length and layout of character classes). It may return fewer;
// Begin asks for more than it needs, because it drops every value that equals, after
// [Normalize], any true fact of the person, or that fails [SameShape] against the answer.
// A source should therefore hold many values of each shape its answers take: Begin
// refuses a question it cannot fill with values of one shape rather than let a length
// give the answer away. It returns ctx.Err() when ctx is done, and an error for system
// failures only; Begin wraps that error and refuses.
type DistractorSource interface {
	Distractors(ctx context.Context, category Category, answer string, n int) ([]string, error)
}

// MemoryDistractors is an in-memory [DistractorSource] drawing from a fixed pool per
// category. It returns a uniform random sample of the pool's values that have the answer's
// shape ([SameShape]) and differ from it, chosen with crypto/rand. It is safe for
// concurrent use. Its methods must not be called on a nil *MemoryDistractors.
type MemoryDistractors struct {
	pools map[Category][]pooled
}

type pooled struct {
	value, norm string
	shape       shape
}

// NewMemoryDistractors returns a source over a copy of pools.
func NewMemoryDistractors(pools map[Category][]string) *MemoryDistractors {
	m := &MemoryDistractors{pools: make(map[Category][]pooled, len(pools))}
	for c, vs := range pools {
		ps := make([]pooled, len(vs))
		for i, v := range vs {
			ps[i] = pooled{value: v, norm: Normalize(v), shape: shapeOf(v)}
		}
		m.pools[c] = ps
	}
	return m
}

// Distractors implements [DistractorSource].
func (m *MemoryDistractors) Distractors(ctx context.Context, category Category, answer string, n int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, nil
	}
	na, sa := Normalize(answer), shapeOf(answer)
	var fit []string
	for _, p := range m.pools[category] {
		if sa == p.shape && p.norm != na {
			fit = append(fit, p.value)
		}
	}
	r := newRNG()
	k := min(n, len(fit))
	for i := range k {
		j := r.intn(len(fit) - i)
		fit[i], fit[i+j] = fit[i+j], fit[i]
	}
	return fit[:k], nil
}
