package relyingparty

import (
	"time"

	"github.com/trustid/trustid/verify"
)

// SignIDToken signs a result-only ID token for clientID on d, for benchmarks.
func (p *Provider) SignIDToken(clientID string, d verify.Decision, now time.Time) (string, error) {
	c := p.clients[clientID]
	tok, _, err := p.signIDToken(c, p.pairwise(c.Sector, d.Subject), "nonce", d, nil, Identity{}, now)
	return tok, err
}

// Pairwise derives the pairwise subject, for the known-answer test.
func (p *Provider) Pairwise(sector, personSubject string) string {
	return p.pairwise(sector, personSubject)
}
