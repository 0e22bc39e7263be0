package i18n

import "testing"

// A key defined in two files of one language would let one text silently replace the other.
func TestRegistry_NoKeyTwice(t *testing.T) {
	for l, maps := range files {
		seen := map[string]int{}
		for i, m := range maps {
			for k := range m {
				if j, ok := seen[k]; ok {
					t.Errorf("%s: %s is in file %d and file %d", l, k, j+1, i+1)
				}
				seen[k] = i
			}
		}
		if len(seen) != len(languages[l]) {
			t.Errorf("%s: %d keys in its files, %d registered", l, len(seen), len(languages[l]))
		}
	}
	if len(files) != len(Supported) || len(languages) != len(Supported) {
		t.Errorf("%d languages with files, %d registered, %d supported", len(files), len(languages), len(Supported))
	}
}
