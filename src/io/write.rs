//! Writing files without ever leaving half a file.
