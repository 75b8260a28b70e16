package extract

import (
	"sync"
	"sync/atomic"

	"github.com/imut/xuewu/models"
)

// maxFolded bounds the cache of normalised words. The words come from the
// rules table and the course catalogue, so a few thousand cover them all.
const maxFolded = 8192

var (
	folded      sync.Map // word -> models.Normalize(word)
	foldedCount atomic.Int64
)

// fold returns models.Normalize of a word of the program's data (a keyword,
// a label, a course name), remembering it: normalising is the costliest
// step of matching.
func fold(word string) string {
	if v, ok := folded.Load(word); ok {
		return v.(string)
	}
	n := models.Normalize(word)
	if foldedCount.Add(1) <= maxFolded {
		folded.Store(word, n)
	}
	return n
}
