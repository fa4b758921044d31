package ratelimit

// Size exposes the number of entries a Memory holds to the external tests.
func Size(m *Memory) int { return m.size() }
