package tinynn.serialization;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * A pass over the raw protobuf wire format, before protobuf-java parses it, for what protobuf-java accepts but
 * protoc and Python reject: a length or tag varint above 32 bits. protobuf-java reads both as 32-bit and keeps
 * the low bits, so a length prefix of 2^40 reads as 0 and the bytes after it are taken as further fields.
 *
 * <p>Every length-delimited field must fit in what is left of its enclosing message, and the fields of
 * message type (known from the schema) are checked the same way inside. Unknown fields are only checked for
 * their own framing. Linear in the file size; tensor data is skipped, not read.
 */
public final class WireCheck {

    private static final int MAX_GROUP_DEPTH = 100;

    private final byte[] data;
    private int pos;
    /** Names of the fields being read, outermost first: the path for error messages, joined only on an error. */
    private final List<String> path = new ArrayList<>();

    private WireCheck(byte[] data, int pos) {
        this.data = data;
        this.pos = pos;
    }

    /** What is wrong with the encoding of the whole of {@code data} as a {@code type}, or null (also for ONNX files). */
    public static String problem(byte[] data, Descriptor type) {
        return problem(data, 0, data.length, type);
    }

    /**
     * What is wrong with the encoding of {@code type} in {@code data[offset, offset + length)}, or null if every
     * tag and length is well-formed.
     */
    static String problem(byte[] data, int offset, int length, Descriptor type) {
        try {
            new WireCheck(data, offset).message(offset + length, type, 0, -1);
            return null;
        } catch (Bad e) {
            return e.getMessage();
        }
    }

    /** Reads fields up to {@code end}; inside a group, up to its end tag (returned by reaching it). */
    private void message(int end, Descriptor type, int groupDepth, int group) throws Bad {
        while (pos < end) {
            int at = pos;
            long tag = varint(end);
            if (tag > 0xFFFFFFFFL || (tag >>> 3) == 0) {
                throw new Bad("invalid field tag " + Long.toUnsignedString(tag) + " at byte " + at + where());
            }
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            FieldDescriptor field = type == null ? null : type.findFieldByNumber(number);
            path.add(field == null ? "#" + number : field.getName()); // unknown fields are rare: "#" + number is cheap
            switch (wire) {
                case 0 -> varint(end);
                case 1 -> skip(8, end);
                case 5 -> skip(4, end);
                case 2 -> {
                    long len = varint(end);
                    if (len > end - pos) {
                        throw new Bad("field '" + name() + "' at byte " + at + " claims " + Long.toUnsignedString(len)
                                + " bytes, but only " + (end - pos) + " are left");
                    }
                    int stop = pos + (int) len;
                    if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        message(stop, field.getMessageType(), groupDepth, -1);
                    }
                    pos = stop;
                }
                case 3 -> {
                    if (groupDepth >= MAX_GROUP_DEPTH) {
                        throw new Bad("groups nested too deeply at byte " + at + where());
                    }
                    message(end, null, groupDepth + 1, number);
                }
                case 4 -> {
                    path.removeLast();
                    if (number != group) {
                        throw new Bad("unexpected end-group tag at byte " + at + where());
                    }
                    return;
                }
                default -> throw new Bad("invalid wire type " + wire + " at byte " + at + where());
            }
            path.removeLast();
        }
        if (group >= 0) {
            throw new Bad("a group is not closed" + where());
        }
        if (pos != end) {
            throw new Bad("the last field overruns its message" + where());
        }
    }

    /** A varint of up to 64 bits, which must end before {@code end}. */
    private long varint(int end) throws Bad {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new Bad("truncated varint" + where());
            }
            byte b = data[pos++];
            if (shift == 63 && (b & 0xFE) != 0) {
                break; // more than 64 bits
            }
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new Bad("malformed varint (more than 10 bytes or 64 bits) at byte " + (pos - 1) + where());
    }

    private void skip(int n, int end) throws Bad {
        if (end - pos < n) {
            throw new Bad("truncated " + n + "-byte field" + where());
        }
        pos += n;
    }

    /** The dotted path of the field being read, e.g. "header.producer"; unknown fields by number ("#9"). */
    private String name() {
        return String.join(".", path);
    }

    private String where() {
        return path.isEmpty() ? "" : " in '" + name() + "'";
    }

    /** Ends the pass with a one-line description; no stack trace is needed. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }
}
