package relyingparty

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/trustid/trustid/internal/mask"

	"github.com/trustid/trustid/verify"
)

// Claim names a piece of identity data beyond the verification result that a relying party
// may ask for. Each claim is also the scope value that asks for it.
type Claim string

// The claims the provider can release. By default a relying party receives the result only:
// a pairwise subject, the assurance level and how it was established.
const (
	// ClaimName is the person's name as on the checked document ("name").
	ClaimName Claim = "name"
	// ClaimIDNumber is the person's identity number ("id_number"), released only where a law
	// requires it.
	ClaimIDNumber Claim = "id_number"
	// ClaimBirthdate is the date of birth, YYYY-MM-DD ("birthdate").
	ClaimBirthdate Claim = "birthdate"
	// ClaimAgeOver18 is true or false: whether the person is 18 or older on the day of the
	// sign-in, in China's calendar ("age_over_18"). It releases no date.
	ClaimAgeOver18 Claim = "age_over_18"
)

// claims is the table of supported claims that requests and registrations are checked
// against; it is never handed out, so no importer can change what is accepted.
var claims = [...]Claim{ClaimName, ClaimIDNumber, ClaimBirthdate, ClaimAgeOver18}

// Claims returns every claim the provider supports, in a stable order. The slice is a
// copy: changing it changes nothing in the provider.
func Claims() []Claim { return slices.Clone(claims[:]) }

func (c Claim) valid() bool { return slices.Contains(claims[:], c) }

// Client is a registered relying party.
type Client struct {
	// ID is the OAuth client_id.
	ID string
	// Name is the display name the person sees on the consent page and in the wallet.
	Name string
	// Secret authenticates a confidential client at the token endpoint (client_secret_basic
	// or client_secret_post); at least 32 bytes. Empty for a public client, which
	// authenticates with PKCE alone.
	Secret []byte `json:"-"`
	// RedirectURIs are matched exactly, byte for byte (RFC 9700 §4.1.3): no prefix, no
	// wildcard, no normalisation. Each must be an absolute https URI, or http on a loopback
	// host, without a fragment.
	RedirectURIs []string
	// Claims lists the claims the client may ask for; a request for any other is refused.
	Claims []Claim
	// Purposes lists the purposes the client may state; the first is the default. Each is
	// shown to the person and kept in the consent record.
	Purposes []string
	// Sector identifies the group of sites that share pseudonyms (OpenID Connect Core §8.1):
	// the same person gets the same subject at every client of one sector and unrelated
	// subjects at clients of different sectors. Empty means the lower-cased host of the
	// redirect URIs, which must then all share one host; but when any redirect URI is on a
	// loopback host (127.0.0.0/8, ::1, localhost: native apps, RFC 8252) or not http(s) (a
	// private-use scheme), which unrelated clients share, empty means a sector of this
	// client alone (derived from its ID), so that no two clients are linked by default.
	Sector string
	// MinLevel is the least assurance level the client accepts; zero means
	// [verify.LevelRealName].
	MinLevel verify.Level
}

// Format never writes the secret, for every verb.
func (c Client) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.masked(), c.masked()) }

func (c *Client) check() error {
	if c.ID == "" || c.Name == "" || len(c.RedirectURIs) == 0 || len(c.Purposes) == 0 {
		return fmt.Errorf("relyingparty: client needs an ID, a name, a redirect URI and a purpose: %w", ErrInvalidArgument)
	}
	if len(c.Secret) != 0 && len(c.Secret) < 32 {
		return fmt.Errorf("relyingparty: client secret shorter than 32 bytes: %w", ErrInvalidArgument)
	}
	host, perClient := "", false
	for i, r := range c.RedirectURIs {
		u, err := url.Parse(r)
		if err != nil || u.Fragment != "" || u.Host == "" || u.User != nil || u.Opaque != "" {
			return fmt.Errorf("relyingparty: client redirect URI %d is not an absolute URI without fragment: %w", i, ErrInvalidArgument)
		}
		switch {
		case u.Scheme == "https":
		case u.Scheme == "http" && isLoopback(u.Hostname()):
		default:
			return fmt.Errorf("relyingparty: client redirect URI %d is neither https nor loopback http: %w", i, ErrInvalidArgument)
		}
		h := strings.ToLower(u.Hostname())
		if sharedHost(u.Scheme, h) {
			perClient = true
		}
		if i > 0 && h != host && c.Sector == "" && !perClient {
			return fmt.Errorf("relyingparty: client redirect URIs on several hosts need a Sector: %w", ErrInvalidArgument)
		}
		host = h
	}
	if c.Sector == "" {
		if perClient {
			c.Sector = "client\x00" + c.ID
		} else {
			c.Sector = host
		}
	}
	for _, cl := range c.Claims {
		if !cl.valid() {
			return fmt.Errorf("relyingparty: client registered for an unknown claim: %w", ErrInvalidArgument)
		}
	}
	if c.MinLevel == verify.LevelNone {
		c.MinLevel = verify.LevelRealName
	}
	if !c.MinLevel.Valid() {
		return fmt.Errorf("relyingparty: client level: %w", ErrInvalidArgument)
	}
	return nil
}

func isLoopback(h string) bool { return h == "localhost" || h == "127.0.0.1" || h == "::1" }

// sharedHost reports whether a redirect URI's scheme and (lower-cased) host can be claimed
// by unrelated clients: a loopback host, which every native app on a device listens on, or
// a scheme other than http(s), which any app may register. Such a host names no sector.
func sharedHost(scheme, host string) bool {
	if scheme != "https" && scheme != "http" {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
