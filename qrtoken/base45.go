package qrtoken

// base45 is the encoding of RFC 9285 ("The Base45 Data Encoding"): two bytes become three
// characters of the QR alphanumeric alphabet, a lone final byte becomes two. It is
// implemented here, not imported, so that decoding is strict: a triple whose value exceeds
// 65535, a final pair whose value exceeds 255, a character outside the alphabet or a length
// of 1 modulo 3 is refused (RFC 9285 §4.2: "the decoding MUST fail"), which gives every byte
// string exactly one text form.

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45Value maps a character to its value; 0xFF marks a character outside the alphabet.
var base45Value = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = uint8(i)
	}
	return t
}()

// base45EncodedLen returns the length of the base45 encoding of n bytes.
func base45EncodedLen(n int) int { return n/2*3 + n%2*2 }

// appendBase45 appends the base45 encoding of src to dst.
func appendBase45(dst, src []byte) []byte {
	for len(src) >= 2 {
		v := uint(src[0])<<8 | uint(src[1])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45%45], base45Alphabet[v/2025])
		src = src[2:]
	}
	if len(src) == 1 {
		v := uint(src[0])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45])
	}
	return dst
}

// encodeBase45 returns the base45 encoding of src.
func encodeBase45(src []byte) string {
	return string(appendBase45(make([]byte, 0, base45EncodedLen(len(src))), src))
}

// base45Triple[k][c] is the value of character c at position k of a triple, already
// multiplied by 45^k; a character outside the alphabet maps to base45Bad, which makes any
// sum it takes part in exceed 65535. One comparison per triple then checks both the
// alphabet and the range.
var base45Triple = func() (t [3][256]uint32) {
	for c, v := range base45Value {
		if v == 0xFF {
			t[0][c], t[1][c], t[2][c] = base45Bad, base45Bad, base45Bad
			continue
		}
		t[0][c], t[1][c], t[2][c] = uint32(v), uint32(v)*45, uint32(v)*2025
	}
	return t
}()

const base45Bad = 1 << 24

// appendDecodeBase45 appends the bytes encoded by s to dst. It fails with [ErrMalformed]
// for any string that is not the exact base45 encoding of some byte string.
func appendDecodeBase45(dst []byte, s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return dst, errMalformed("base45")
	}
	n, m := len(dst), len(s)/3*2+len(s)%3/2
	if cap(dst)-n < m {
		dst = append(make([]byte, 0, n+m), dst...)
	}
	if !decodeBase45(dst[n:n+m], s) {
		return dst, base45Error(s)
	}
	return dst[:n+m], nil
}

// decodeBase45 decodes s, whose length is not 1 modulo 3, into out, which has room for
// exactly its bytes, and reports whether s was valid. It is a leaf, so that the loop keeps
// everything in registers.
func decodeBase45(out []byte, s string) bool {
	t0, t1, t2 := &base45Triple[0], &base45Triple[1], &base45Triple[2]
	// Valid triples are at most 0xFFFF, so acc stays below 0x10000 unless one is not.
	var acc uint32
	// Two triples per round. The loop stops before the last triple: slices that stay
	// non-empty need no pointer masking when they are advanced.
	for len(s) > 6 && len(out) > 4 {
		v := t0[s[0]] + t1[s[1]] + t2[s[2]]
		w := t0[s[3]] + t1[s[4]] + t2[s[5]]
		acc |= v | w
		out[0], out[1], out[2], out[3] = byte(v>>8), byte(v), byte(w>>8), byte(w)
		s, out = s[6:], out[4:]
	}
	if len(s) > 3 && len(out) > 2 {
		v := t0[s[0]] + t1[s[1]] + t2[s[2]]
		acc |= v
		out[0], out[1] = byte(v>>8), byte(v)
		s, out = s[3:], out[2:]
	}
	switch {
	case len(s) == 3 && len(out) == 2:
		v := t0[s[0]] + t1[s[1]] + t2[s[2]]
		acc |= v
		out[0], out[1] = byte(v>>8), byte(v)
	case len(s) == 2 && len(out) == 1:
		v := t0[s[0]] + t1[s[1]]
		if v > 0xFF {
			return false
		}
		out[0] = byte(v)
	}
	return acc <= 0xFFFF
}

// base45Error returns the error for the first triple or final pair of s that does not
// decode: a character outside the alphabet, or a value out of range.
func base45Error(s string) error {
	for len(s) >= 2 {
		c := s[:min(len(s), 3)]
		v, limit := uint(0), uint(0xFFFF)
		if len(c) == 2 {
			limit = 0xFF
		}
		for k := len(c) - 1; k >= 0; k-- {
			d := base45Value[c[k]]
			if d == 0xFF {
				return errMalformed("base45")
			}
			v = v*45 + uint(d)
		}
		if v > limit {
			return errMalformed("base45")
		}
		s = s[len(c):]
	}
	return errMalformed("base45")
}

// DecodeBase45 returns the bytes encoded by s in the base45 encoding of RFC 9285. It is
// exported for tools and tests that inspect a code's binary form; it refuses every string
// that is not the canonical encoding of some byte string, and every string longer than
// [MaxCodeText] (no code is longer) before decoding it, with an error matching
// [ErrMalformed].
func DecodeBase45(s string) ([]byte, error) {
	if len(s) > MaxCodeText {
		return nil, errMalformed("length")
	}
	return appendDecodeBase45(make([]byte, 0, len(s)/3*2+1), s)
}

// EncodeBase45 returns the RFC 9285 base45 encoding of b, the text form of every code.
func EncodeBase45(b []byte) string { return encodeBase45(b) }
