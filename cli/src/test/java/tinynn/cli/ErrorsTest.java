package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.base.TinynnException;
import tinynn.data.DataException;
import tinynn.graph.GraphException;
import tinynn.serialization.ModelFileException;

/** Library errors are recognised by their base type, not by the package their class happens to live in. */
class ErrorsTest {

    @Test void everyLibraryErrorIsPrintedAsWritten() {
        assertEquals("dense0: input has 3 features, the layer needs 4", Errors.describe(new GraphException("dense0: input has 3 features, the layer needs 4")));
        assertEquals("train.csv:2: 3 columns, expected 5", Errors.describe(new DataException("train.csv:2: 3 columns, expected 5")));
        assertEquals("m.tnn: checksum mismatch; re-save the model",
                Errors.describe(new ModelFileException(ModelFileException.Reason.CORRUPT, "m.tnn", "checksum mismatch", "re-save the model")));
        assertTrue(TinynnException.class.isAssignableFrom(GraphException.class));
    }

    /** A RuntimeException of a tinynn package that is not a TinynnException is a bug, not a user error. */
    static final class Unexpected extends RuntimeException {
        Unexpected(String m) { super(m); }
    }

    @Test void otherExceptionsFromTinynnPackagesAreInternalErrors() {
        String text = Errors.describe(new Unexpected("index 3 out of bounds"));
        assertTrue(text.startsWith("internal error: tinynn.cli.ErrorsTest$Unexpected: index 3 out of bounds"), text);
    }
}
