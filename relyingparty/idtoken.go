package relyingparty

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/trustid/trustid/verify"
)

// SigningKey is a key that signs ID tokens: an ECDSA P-256 key (ES256) or an Ed25519 key
// (EdDSA). ID is its JWK "kid", unique among the provider's keys.
type SigningKey struct {
	ID  string
	Key crypto.Signer
}

// Format never writes the key.
func (k SigningKey) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "relyingparty.SigningKey{ID: %q}", k.ID)
}

type signer struct {
	id     string
	alg    jose.SignatureAlgorithm
	signer jose.Signer
	public jose.JSONWebKey
}

func newSigners(keys []SigningKey) ([]signer, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("relyingparty: no signing key: %w", ErrInvalidArgument)
	}
	out := make([]signer, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		var alg jose.SignatureAlgorithm
		switch key := k.Key.(type) {
		case *ecdsa.PrivateKey:
			if key.Curve != elliptic.P256() {
				return nil, fmt.Errorf("relyingparty: ECDSA signing key not on P-256: %w", ErrInvalidArgument)
			}
			alg = jose.ES256
		case ed25519.PrivateKey:
			alg = jose.EdDSA
		default:
			return nil, fmt.Errorf("relyingparty: signing key is neither ECDSA P-256 nor Ed25519: %w", ErrInvalidArgument)
		}
		if k.ID == "" || seen[k.ID] {
			return nil, fmt.Errorf("relyingparty: signing key IDs must be set and unique: %w", ErrInvalidArgument)
		}
		seen[k.ID] = true
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: k.Key, KeyID: k.ID, Algorithm: string(alg)}},
			(&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			return nil, fmt.Errorf("relyingparty: signing key: %v: %w", err, ErrInvalidArgument)
		}
		out = append(out, signer{k.ID, alg, s, jose.JSONWebKey{Key: k.Key.Public(), KeyID: k.ID, Algorithm: string(alg), Use: "sig"}})
	}
	return out, nil
}

// JWKS returns the public signing keys as a JSON Web Key Set (RFC 7517), the signing key
// first.
func (p *Provider) JWKS() ([]byte, error) {
	var set jose.JSONWebKeySet
	for _, s := range p.signers {
		set.Keys = append(set.Keys, s.public)
	}
	return json.Marshal(set)
}

// SigningAlgorithms returns the JWS algorithms of the signing keys, for discovery.
func (p *Provider) SigningAlgorithms() []string {
	var out []string
	seen := map[jose.SignatureAlgorithm]bool{}
	for _, s := range p.signers {
		if !seen[s.alg] {
			seen[s.alg] = true
			out = append(out, string(s.alg))
		}
	}
	return out
}

// idToken is the ID token's claim set.
type idToken struct {
	Issuer         string         `json:"iss"`
	Subject        string         `json:"sub"`
	Audience       string         `json:"aud"`
	Expiry         int64          `json:"exp"`
	IssuedAt       int64          `json:"iat"`
	AuthTime       int64          `json:"auth_time"`
	Nonce          string         `json:"nonce"`
	ACR            string         `json:"acr"`
	VerifiedClaims verifiedClaims `json:"verified_claims"`
}

// verifiedClaims follows OpenID Connect for Identity Assurance 1.0 §5: how the person was
// verified, and the claims released under that verification.
type verifiedClaims struct {
	Verification verification   `json:"verification"`
	Claims       map[string]any `json:"claims"`
}

type verification struct {
	TrustFramework      string     `json:"trust_framework"`
	AssuranceLevel      string     `json:"assurance_level"`
	Time                string     `json:"time"`
	VerificationProcess string     `json:"verification_process"`
	Evidence            []evidence `json:"evidence"`
}

type evidence struct {
	Type         string        `json:"type"`
	CheckDetails []checkDetail `json:"check_details"`
	Time         string        `json:"time"`
}

type checkDetail struct {
	CheckMethod string `json:"check_method"`
}

// ACRPrefix prefixes the assurance level in the ID token's acr claim.
const ACRPrefix = "urn:trustid:level:"

// checkMethods maps each factor to a check method of the Identity Assurance registry:
// the document check validates the claim against the authoritative registry ("data"), the
// real-person check is a remote biometric comparison ("bvr"), the memory quiz is
// knowledge-based ("kbv"), a trusted referee's review is a verification of physical
// identity by a person ("vpip").
var checkMethods = map[verify.Factor]string{
	verify.FactorDocument:   "data",
	verify.FactorRealPerson: "bvr",
	verify.FactorMemory:     "kbv",
	verify.FactorReview:     "vpip",
}

func (p *Provider) signIDToken(c Client, sub, nonce string, d verify.Decision, claims []Claim, id Identity, now time.Time) (string, time.Time, error) {
	exp := now.Add(p.tokenLife)
	if d.ValidUntil.Before(exp) {
		exp = d.ValidUntil
	}
	t := idToken{Issuer: p.issuer, Subject: sub, Audience: c.ID, Expiry: exp.Unix(), IssuedAt: now.Unix(),
		AuthTime: authTime(d).Unix(), Nonce: nonce, ACR: ACRPrefix + d.Level.String()}
	v := verification{TrustFramework: p.framework, AssuranceLevel: d.Level.String(),
		Time: d.DecidedAt.UTC().Format(time.RFC3339), VerificationProcess: p.pairwise("process\x00"+c.Sector, d.CheckID)}
	for _, e := range d.Evidence {
		m, ok := checkMethods[e.Factor]
		if !ok {
			continue
		}
		v.Evidence = append(v.Evidence, evidence{"electronic_record", []checkDetail{{m}}, e.CompletedAt.UTC().Format(time.RFC3339)})
	}
	released := map[string]any{}
	for _, cl := range claims {
		switch cl {
		case ClaimName:
			released[string(cl)] = id.Name
		case ClaimIDNumber:
			released[string(cl)] = id.IDNumber
		case ClaimBirthdate:
			if id.BirthDate.Valid() && !id.BirthDate.IsZero() {
				released[string(cl)] = id.BirthDate.String()
			}
		case ClaimAgeOver18:
			if id.BirthDate.Valid() && !id.BirthDate.IsZero() {
				b := id.BirthDate
				released[string(cl)] = verify.ChinaDate(now).Compare(verify.Date{Year: b.Year + 18, Month: b.Month, Day: b.Day}) >= 0
			}
		}
	}
	t.VerifiedClaims = verifiedClaims{v, released}
	payload, err := json.Marshal(t)
	if err != nil {
		return "", exp, failErr(ReasonInvalidArgument, "", err)
	}
	jws, err := p.signers[0].signer.Sign(payload)
	if err != nil {
		return "", exp, failErr(ReasonUnavailable, "", err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		return "", exp, failErr(ReasonUnavailable, "", err)
	}
	return s, exp, nil
}
