package store

// Size exposes the number of entries a MemoryAttemptStore holds to the external tests.
func Size(m *MemoryAttemptStore) int { return m.size() }
