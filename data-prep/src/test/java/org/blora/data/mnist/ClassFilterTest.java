package org.blora.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFilterTest {
    private static final List<Integer> DIGITS = List.of(7, 0, 1, 2, 3, 4, 5, 6, 8, 9, 3);

    @Test
    void rangesListsAndAll() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, ClassFilter.parse("0-4").classes(DIGITS));
        assertArrayEquals(new int[] {5, 6, 7, 8, 9}, ClassFilter.parse(" 5 - 9 ").classes(DIGITS));
        assertArrayEquals(new int[] {0, 3, 7}, ClassFilter.parse("7,0,3,3").classes(DIGITS));
        assertArrayEquals(new int[] {0, 1, 2, 7}, ClassFilter.parse("0-2,7").classes(List.of()));
        assertArrayEquals(new int[] {2, 5}, ClassFilter.parse("all").classes(List.of(5, 2, 5)),
                "all: the classes present");
        ClassFilter f = ClassFilter.parse("0,3,7");
        assertTrue(f.keeps(3));
        assertFalse(f.keeps(4));
        assertTrue(ClassFilter.ALL.keeps(12345));
        assertTrue(ClassFilter.parse("all").all());
        assertEquals("0,3,7", f.toString());
    }

    @Test
    void malformedFiltersAreRejectedWithTheKey() {
        for (String bad : new String[] {"", "none", "0-", "-3", "1,,2", "a-b", "70000", "0-4;5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassFilter.parse(bad), bad);
            assertEquals("data.classes must be 'all' or classes and ranges in [0, 65535] such as 0-4, 5-9 or 0,3,7, got '"
                    + bad + "'", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassFilter.parse("9-5"));
        assertEquals("data.classes: range 9-5 runs backwards in '9-5' (write it low-high, e.g. 5-9)", e.getMessage());
    }
}
