package tinynn.serialization;

import tinynn.serialization.proto.Header;

/**
 * Constants of the tinynn model-file format ({@code tinynn/v1/model.proto}, packaged in this jar) and a
 * helper to build the mandatory {@link Header}.
 */
public final class ModelFormat {

    /** Value of {@code Header.magic} in every tinynn model file. */
    public static final String MAGIC = "tinynn.model";

    /** The format version this library writes and the newest one it reads. */
    public static final int FORMAT_VERSION = 1;

    /** Graph roles written and read by tinynn-java. */
    public static final String ROLE_INPUT = "input";
    public static final String ROLE_TARGET = "target";
    public static final String ROLE_OUTPUT = "output";
    public static final String ROLE_LOGITS = "logits";
    public static final String ROLE_LOSS = "loss";

    /** Op written for a loss whose primitive ops depend on the batch size. */
    public static final String LOSS_OP = "tinynn.loss";

    /** Conventional file-name extension of model files. */
    public static final String FILE_EXTENSION = ".tnn";

    /** Classpath location of the schema, for tools that want to decode files themselves. */
    public static final String PROTO_RESOURCE = "tinynn/v1/model.proto";

    /** Fully qualified protobuf name of the top-level message (for {@code protoc --decode}). */
    public static final String MESSAGE_NAME = "tinynn.v1.Model";

    /** Size limit applied by the readers unless the caller passes another: 1 GiB (about 268 million F32 values). */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** Largest file that can exist at all: a Java array / protobuf message cannot exceed this. */
    public static final long HARD_MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Most layers a model file may hold; readers reject more (and writers refuse to write more). Far beyond any
     * useful sequential network, it bounds the work and memory of a load: a file cannot claim a depth that takes
     * minutes to rebuild.
     */
    public static final int MAX_LAYERS = 100_000;

    /** Most graph nodes a model file may hold (ten per layer at the layer limit); readers reject more. */
    public static final int MAX_GRAPH_NODES = 10 * MAX_LAYERS;

    /**
     * Number of bytes before the protobuf body: the tag byte {@code 0x0D} (field 1, wire type fixed32) and the
     * little-endian CRC-32C of the rest of the file.
     */
    public static final int PREFIX_BYTES = 5;

    /** The first byte of every model file: protobuf tag of {@code Model.crc32c} (field 1, wire type 5). */
    public static final byte CRC_TAG = 0x0D;

    private ModelFormat() {}

    /**
     * A header for a file written now.
     *
     * @param producer software writing the file, e.g. {@code "tinynn-java 0.1.0"}
     */
    public static Header header(String producer) {
        return Header.newBuilder()
                .setMagic(MAGIC)
                .setFormatVersion(FORMAT_VERSION)
                .setProducer(producer == null ? "" : producer)
                .setCreatedUnixMillis(System.currentTimeMillis())
                .build();
    }
}
