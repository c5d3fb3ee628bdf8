module tinynn.data {
    requires transitive tinynn.base;
    requires java.net.http;

    exports tinynn.data;
    exports tinynn.data.image;
    exports tinynn.data.text;
}
