package tinynn.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.DataException;

class TextCorpusTest {
    @TempDir Path dir;

    @Test void vocabularyIsTheSortedDistinctCodePoints() {
        Vocabulary v = Vocabulary.of("hello, wörld\n😀!");
        int[] expected = "hello, wörld\n😀!".codePoints().sorted().distinct().toArray();
        assertEquals(expected.length, v.size());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], v.codePoint(i));
        assertEquals(0, v.id('\n'), "the smallest code point gets id 0");
        assertEquals(v.size() - 1, v.id(0x1F600), "a supplementary character is one code point, the largest here");
        assertEquals(-1, v.id('z'));
        assertEquals("😀", v.text(v.id(0x1F600)));
    }

    @Test void vocabularyRoundTripsThroughItsMetadataForm() {
        Vocabulary v = Vocabulary.of("a,b\nc \t\"é😀");
        String s = v.toMetadata();
        assertTrue(s.startsWith("9,10,32,34,44,97"), s);
        assertEquals(v, Vocabulary.fromMetadata(s));
    }

    @Test void badMetadataIsAnErrorSayingWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromMetadata("10,x")).getMessage().contains("'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromMetadata("10,10")).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromMetadata("55296")).getMessage().contains("not a Unicode"));
    }

    @Test void encodingNamesTheMissingCharacters() {
        Vocabulary v = Vocabulary.of("abc ");
        assertArrayEquals(new int[] {1, 2, 0, 3}, v.encode("ab c"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("abxy\nx"));
        assertEquals("characters 'x', 'y', U+000A not in the vocabulary", e.getMessage());
        assertEquals(List.of((int) 'q'), v.missing("aqa"));
    }

    @Test void readsUtf8AndDropsAByteOrderMark() throws IOException {
        Path f = dir.resolve("t.txt");
        Files.write(f, ("\uFEFFnaïve 😀\n").getBytes(StandardCharsets.UTF_8));
        TextCorpus c = TextCorpus.read(f);
        assertEquals(8, c.length(), "code points, the BOM not counted");
        assertEquals(-1, c.vocabulary().id(0xFEFF));
        StringBuilder back = new StringBuilder();
        for (int id : c.ids()) back.append(c.vocabulary().text(id));
        assertEquals("naïve 😀\n", back.toString());
    }

    @Test void invalidUtf8IsOneLineNamingTheFileAndByteOffset() throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1)); // é as the single byte 0xE9
        DataException e = assertThrows(DataException.class, () -> TextCorpus.read(f));
        assertEquals(f + ": not UTF-8 text: invalid byte sequence at byte offset 3 (0xE9); convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                e.getMessage());
        Path truncated = dir.resolve("cut.txt");
        byte[] smile = "ab😀".getBytes(StandardCharsets.UTF_8);
        Files.write(truncated, Arrays.copyOf(smile, smile.length - 1));
        assertTrue(assertThrows(DataException.class, () -> TextCorpus.read(truncated)).getMessage().contains("at byte offset 2 "));
    }

    @Test void missingAndEmptyFilesAreErrors() throws IOException {
        assertEquals(dir.resolve("no.txt") + ": no such file",
                assertThrows(DataException.class, () -> TextCorpus.read(dir.resolve("no.txt"))).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertTrue(assertThrows(DataException.class, () -> TextCorpus.read(empty)).getMessage().contains("the text is empty"));
    }

    @Test void aGivenVocabularyRejectsNewCharacters() {
        Vocabulary v = Vocabulary.of("abc");
        DataException e = assertThrows(DataException.class, () -> TextCorpus.of("abcd", "new.txt", v));
        assertTrue(e.getMessage().startsWith("new.txt: character 'd' not in the vocabulary"), e.getMessage());
    }

    @Test void unigramEntropyOfAKnownDistribution() {
        assertEquals(0, TextCorpus.of("aaaa", "t").unigramEntropy(), 1e-12);
        assertEquals(Math.log(4), TextCorpus.of("abcdabcd", "t").unigramEntropy(), 1e-12);
        // p = 1/2, 1/4, 1/4: 1.5 bits
        assertEquals(1.5 * Math.log(2), TextCorpus.of("aabc", "t").unigramEntropy(), 1e-12);
    }

    @Test void windowsPredictTheNextCharacter() {
        TextCorpus c = TextCorpus.of("abcdefghij", "t"); // ids 0..9
        TextWindows w = TextWindows.of(c, 3); // (10 - 1) / 3 = 3 windows
        assertEquals(3, w.count());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, w.inputs());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, w.targets());
        assertEquals(1, TextWindows.of(c, 9).count());
        DataException e = assertThrows(DataException.class, () -> TextWindows.of(c, 10));
        assertEquals("t: the text has 10 characters; a sequence length of 10 needs at least 11 (use a shorter sequence length)", e.getMessage());
    }

    @Test void theSplitIsSeededDisjointAndComplete() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 401; i++) sb.append((char) (0x100 + i)); // distinct characters: id = position
        TextCorpus c = TextCorpus.of(sb.toString(), "t");
        TextWindows.Split s = TextWindows.split(c, 4, 0.1, 7);
        assertEquals(90, s.train().count());
        assertEquals(10, s.validation().count());
        TextWindows.Split again = TextWindows.split(c, 4, 0.1, 7);
        assertArrayEquals(s.validation().inputs(), again.validation().inputs(), "the same seed holds out the same windows");
        TextWindows.Split other = TextWindows.split(c, 4, 0.1, 8);
        assertTrue(!Arrays.equals(s.validation().inputs(), other.validation().inputs()), "another seed holds out others");
        // Every window of the text is in exactly one part, each predicting its next characters.
        Set<Integer> starts = new HashSet<>();
        for (TextWindows w : List.of(s.train(), s.validation())) {
            for (int k = 0; k < w.count(); k++) {
                int start = (int) w.inputs()[k * 4];
                assertEquals(0, start % 4);
                assertTrue(starts.add(start), "window at " + start + " twice");
                for (int j = 0; j < 4; j++) {
                    assertEquals(start + j, w.inputs()[k * 4 + j], 0);
                    assertEquals(start + j + 1, w.targets()[k * 4 + j], 0);
                }
            }
        }
        assertEquals(100, starts.size());
        assertNull(TextWindows.split(c, 4, 0, 7).validation());
        assertEquals(100, TextWindows.split(c, 4, 0, 7).train().count());
    }

    @Test void aSplitNeedsTwoWindows() {
        TextCorpus c = TextCorpus.of("abcdefg", "t");
        assertTrue(assertThrows(DataException.class, () -> TextWindows.split(c, 4, 0.5, 1)).getMessage().contains("validation needs at least 2"));
    }
}
